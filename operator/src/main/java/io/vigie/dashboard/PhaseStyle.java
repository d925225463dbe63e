package io.vigie.dashboard;

import io.vigie.api.v1alpha1.RolloutPhase;

/**
 * How a phase is shown: a word always, a color class beside it, and the order of the overview, where
 * what needs a person (Paused, RolledBack, Invalid) comes first.
 */
enum PhaseStyle {
  INVALID("Invalid", "bad", 0),
  ROLLED_BACK("RolledBack", "bad", 1),
  PAUSED("Paused", "wait", 2),
  PROGRESSING("Progressing", "move", 3),
  PROMOTING("Promoting", "move", 4),
  HEALTHY("Healthy", "good", 5),
  UNKNOWN("Unknown", "none", 6);

  final String word;
  final String css;
  final int rank;

  PhaseStyle(String word, String css, int rank) {
    this.word = word;
    this.css = css;
    this.rank = rank;
  }

  static PhaseStyle of(RolloutPhase phase) {
    if (phase == null) {
      return UNKNOWN;
    }
    return switch (phase) {
      case Invalid -> INVALID;
      case RolledBack -> ROLLED_BACK;
      case Paused -> PAUSED;
      case Progressing -> PROGRESSING;
      case Promoting -> PROMOTING;
      case Healthy -> HEALTHY;
    };
  }

  boolean needsAPerson() {
    return rank <= 2;
  }

  String badge() {
    return "<span class=\"phase " + css + "\">" + Html.text(word) + "</span>";
  }
}
