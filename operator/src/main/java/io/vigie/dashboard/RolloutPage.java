package io.vigie.dashboard;

import io.fabric8.kubernetes.api.model.Event;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.MetricEvidence;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.RollbackReport;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.core.ControlRules;
import io.vigie.core.PendingControl.Control;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One Rollout: where it is, the actions a person may take now, the steps as a timeline, the traffic
 * over time, each metric against its limits, the rollback report with its diff, the revision
 * history and the Events.
 */
final class RolloutPage {
  /** The buttons, in the order shown: the control, the annotation's value, the label, what confirming says. */
  enum Action {
    PROMOTE(Control.PROMOTE, "true", "Promote", "Complete the current step of %s?"),
    PROMOTE_FULL(Control.PROMOTE, "full", "Promote fully", "Skip every remaining step of %s and promote it now?"),
    PAUSE(Control.PAUSE, "true", "Pause", "Hold %s at its current step?"),
    RESUME(Control.RESUME, "true", "Resume", "Let %s go on?"),
    ABORT(Control.ABORT, "true", "Abort", "Roll %s back now? Traffic goes back to stable first, then the canary's pods go."),
    RETRY(Control.RETRY, "true", "Retry", "Run the rolled-back revision of %s again from step 1?");

    final Control control;
    final String value;
    final String label;
    final String confirm;

    Action(Control control, String value, String label, String confirm) {
      this.control = control;
      this.value = value;
      this.label = label;
      this.confirm = confirm;
    }

    String path() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static Optional<Action> of(String path) {
      for (Action a : values()) {
        if (a.path().equals(path)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }

  private RolloutPage() {}

  static String render(RolloutWatch watch, Rollout r, Instant now, Optional<String> token) {
    RolloutStatus s = OverviewPage.status(r);
    String ns = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    PhaseStyle style = PhaseStyle.of(s.getPhase());
    RolloutWatch.Images images = watch.images(r);
    StringBuilder html = new StringBuilder();
    html.append("<p class=\"crumbs\"><a href=\"/\">All Rollouts</a> / ").append(Html.text(ns)).append("</p>")
        .append("<h1>").append(Html.text(name)).append(" ").append(style.badge()).append("</h1>")
        .append("<p class=\"message\" id=\"message\">").append(Html.text(s.getMessage())).append("</p>")
        .append("<dl class=\"facts\"><dt>Strategy</dt><dd>").append(Html.text(OverviewPage.strategy(r)))
        .append("</dd><dt>Step</dt><dd>").append(OverviewPage.progress(s)).append("</dd><dt>Canary weight</dt><dd id=\"weight\">")
        .append(Html.text(s.getCanaryWeight() == null ? "0%" : s.getCanaryWeight() + "%")).append("</dd><dt>Stable</dt><dd>")
        .append(Html.text(images.stable())).append(" <code>").append(Html.text(s.getStableRevision())).append("</code></dd>");
    if (s.getCanaryRevision() != null) {
      html.append("<dt>Canary</dt><dd>").append(Html.text(images.canary())).append(" <code>")
          .append(Html.text(s.getCanaryRevision())).append("</code></dd>");
    }
    html.append("</dl>");
    token.ifPresent(t -> html.append(actions(ns, name, s, t)));
    html.append("<section aria-labelledby=\"steps\"><h2 id=\"steps\">Steps</h2>").append(steps(r, s)).append("</section>")
        .append("<section aria-labelledby=\"traffic\"><h2 id=\"traffic\">Traffic to the canary</h2>")
        .append(Charts.traffic(watch.traffic(ns, name), now)).append("</section>")
        .append("<section aria-labelledby=\"analysis\"><h2 id=\"analysis\">Analysis</h2>").append(analysis(s)).append("</section>");
    if (s.getRollbackReport() != null) {
      html.append(report(s.getRollbackReport()));
    }
    html.append(annotations(r));
    html.append("<section aria-labelledby=\"history\"><h2 id=\"history\">Revision history</h2>").append(history(s))
        .append("</section><section aria-labelledby=\"events\"><h2 id=\"events\">Events</h2>")
        .append(events(watch.events(ns, name, 30))).append("</section>");
    return html.toString();
  }

  private static String actions(String ns, String name, RolloutStatus s, String token) {
    StringBuilder html = new StringBuilder("<section class=\"actions\" aria-label=\"Actions\">");
    for (Action a : Action.values()) {
      Optional<String> refusal = ControlRules.refusal(a.control, s);
      String id = "why-" + a.path();
      html.append("<form method=\"post\" action=\"/rollouts/").append(Html.segment(ns)).append('/').append(Html.segment(name))
          .append('/').append(a.path()).append("\" data-confirm=\"").append(Html.text(String.format(a.confirm, ns + "/" + name)))
          .append("\"><input type=\"hidden\" name=\"token\" value=\"").append(Html.text(token)).append("\">")
          .append("<button type=\"submit\" class=\"").append(a == Action.ABORT ? "danger" : "").append("\" data-action=\"")
          .append(a.path()).append('"');
      if (refusal.isPresent()) {
        html.append(" disabled aria-describedby=\"").append(id).append("\" title=\"").append(Html.text(refusal.get())).append('"');
      }
      html.append('>').append(a.label).append("</button>");
      refusal.ifPresent(why -> html.append("<span class=\"why\" id=\"").append(id).append("\" hidden>")
          .append(Html.text(why)).append("</span>"));
      html.append("</form>");
    }
    return html.append("</section>").toString();
  }

  private static String steps(Rollout r, RolloutStatus s) {
    List<String> labels;
    List<CanaryStep> canarySteps = List.of();
    if (r.getSpec() != null && r.getSpec().getStrategy() != null && r.getSpec().getStrategy().getBlueGreen() != null) {
      labels = List.of("preview: green beside blue, judged before the switch", "live: green serves, blue stays warm");
    } else if (r.getSpec() != null && r.getSpec().getStrategy() != null && r.getSpec().getStrategy().getCanary() != null
        && r.getSpec().getStrategy().getCanary().getSteps() != null) {
      canarySteps = r.getSpec().getStrategy().getCanary().getSteps();
      labels = canarySteps.stream().map(RolloutPage::describe).toList();
    } else {
      labels = List.of();
    }
    int current = s.getCanaryRevision() == null || s.getCurrentStepIndex() == null ? -1 : s.getCurrentStepIndex();
    List<Integer> skipped = s.getSkippedSteps() == null ? List.of() : s.getSkippedSteps();
    StringBuilder html = new StringBuilder("<ol class=\"steps\">");
    for (int i = 0; i < labels.size(); i++) {
      String state = current < 0 ? "" : i < current ? (skipped.contains(i) ? "skipped" : "done") : i == current ? "current" : "";
      html.append("<li class=\"").append(state).append('"').append(i == current ? " aria-current=\"step\"" : "").append('>')
          .append(Html.text(labels.get(i)));
      if (i == current && i < canarySteps.size() && canarySteps.get(i).getPause() != null
          && canarySteps.get(i).getPause().getDuration() != null && s.getStepStartedAt() != null
          && !Boolean.TRUE.equals(s.getUserPaused())) {
        try {
          Instant until = Instant.parse(s.getStepStartedAt()).plus(Durations.parse(canarySteps.get(i).getPause().getDuration()));
          html.append(" <time class=\"countdown\" data-until=\"").append(Html.text(until.toString())).append("\" datetime=\"")
              .append(Html.text(until.toString())).append("\">until ").append(Html.text(until.toString())).append("</time>");
        } catch (RuntimeException e) {
          // an unreadable duration is the operator's to report (Invalid): no countdown here
        }
      }
      if (!state.isEmpty()) {
        html.append(" <span class=\"state\">(").append(state).append(")</span>");
      }
      html.append("</li>");
    }
    return html.append("</ol>").toString();
  }

  private static String describe(CanaryStep step) {
    if (step.getSetWeight() != null) {
      return "weight " + step.getSetWeight() + "%";
    }
    if (step.getPause() != null) {
      return step.getPause().getDuration() == null ? "pause until promoted" : "pause " + step.getPause().getDuration();
    }
    if (step.getSetHeaderRoute() != null) {
      return "header route " + step.getSetHeaderRoute().getHeader() + ": " + step.getSetHeaderRoute().getValue();
    }
    if (step.getGate() != null) {
      return "gate " + step.getGate();
    }
    if (step.getAnalysis() != null) {
      return "analysis " + String.join(", ", step.getAnalysis().getTemplates().stream().map(t -> t.getName()).toList());
    }
    return "step";
  }

  private static String analysis(RolloutStatus s) {
    if (s.getAnalysis() == null || s.getAnalysis().isEmpty()) {
      return "<p class=\"muted\">No analysis in this release.</p>";
    }
    StringBuilder html = new StringBuilder();
    for (AnalysisRunStatus run : s.getAnalysis()) {
      html.append("<h3>").append(Html.text(run.getName())).append(" <span class=\"verdict\">").append(Html.text(run.getPhase()))
          .append("</span></h3>");
      if (run.getMessage() != null) {
        html.append("<p>").append(Html.text(run.getMessage())).append("</p>");
      }
      for (MetricStatus m : run.getMetrics()) {
        html.append("<figure class=\"metric\"><figcaption><strong>").append(Html.text(m.getName())).append("</strong> ")
            .append(Html.text(m.getPhase())).append(" · ").append(Html.text(m.getRule())).append(" · ")
            .append(m.getSuccessful()).append(" passed, ").append(m.getFailed()).append(" failed, ").append(m.getInconclusive())
            .append(" inconclusive, ").append(m.getErrors()).append(" errors</figcaption>")
            .append(Charts.metric(m.getName(), m.getMeasurements(), m.getRule())).append(versus(m.getName(), m.getComparison()));
        if (m.getSequential() != null) {
          var seq = m.getSequential();
          html.append(Charts.versus(m.getName(), "stable", "", share(seq.getCanaryBad(), seq.getCanaryRequests()),
              share(seq.getStableBad(), seq.getStableRequests()), "shares of bad requests, " + Math.round(seq.getCanaryRequests())
                  + " and " + Math.round(seq.getStableRequests()) + " requests"));
        }
        html.append("</figure>");
      }
    }
    return html.toString();
  }

  private static double share(double bad, double requests) {
    return requests <= 0 ? 0 : bad / requests;
  }

  /** A compare metric's canary against the baseline (or stable): medians and the shift's interval. */
  private static String versus(String metric, io.vigie.api.v1alpha1.ComparisonEvidence c) {
    if (c == null || c.getCanaryMedian() == null || c.getOtherMedian() == null) {
      return "";
    }
    String detail = (c.getShift() == null ? "" : "shift " + c.getShift() + (c.getLower() == null ? "" : " [" + c.getLower()
        + ", " + c.getUpper() + "]")) + (c.getResult() == null ? "" : ", " + c.getResult()) + ", " + c.getCanaryPoints() + " and "
        + c.getOtherPoints() + " points";
    return Charts.versus(metric, c.getSide() == null ? "baseline" : c.getSide(), "", c.getCanaryMedian(), c.getOtherMedian(),
        detail);
  }

  private static String report(RollbackReport report) {
    StringBuilder html = new StringBuilder("<section class=\"report\" aria-labelledby=\"report\"><h2 id=\"report\">Rollback report")
        .append("</h2><dl class=\"facts\"><dt>Trigger</dt><dd>").append(Html.text(report.getTrigger())).append("</dd><dt>Why</dt><dd>")
        .append(Html.text(report.getSummary())).append("</dd><dt>Revision</dt><dd><code>").append(Html.text(report.getRevision()))
        .append("</code> back to <code>").append(Html.text(report.getStableRevision())).append("</code></dd>");
    if (report.getSecondsToDecision() != null) {
      html.append("<dt>Decided</dt><dd>").append(report.getSecondsToDecision()).append(" s after the canary's first traffic</dd>");
    }
    if (report.getSecondsToTrafficBack() != null) {
      html.append("<dt>Traffic back on stable</dt><dd>").append(report.getSecondsToTrafficBack()).append(" s after the decision</dd>");
    }
    html.append("</dl>");
    for (MetricEvidence e : report.getMetrics()) {
      html.append("<figure class=\"metric\"><figcaption><strong>").append(Html.text(e.getMetric())).append("</strong> ")
          .append(Html.text(e.getPhase())).append(" · ").append(Html.text(e.getRule())).append("</figcaption>")
          .append(Charts.metric(e.getMetric(), e.getMeasurements(), e.getRule())).append(versus(e.getMetric(), e.getComparison()))
          .append("</figure>");
    }
    if (!report.getChanges().isEmpty()) {
      html.append("<h3>What changed from stable</h3><pre class=\"diff\">");
      for (String change : report.getChanges()) {
        int arrow = change.indexOf(" → ");
        int colon = change.lastIndexOf(": ", arrow < 0 ? change.length() : arrow);
        if (arrow > 0 && colon > 0) {
          String field = change.substring(0, colon);
          String what = change.substring(colon + 2, arrow);
          int space = what.lastIndexOf(' ');
          String key = space < 0 ? "" : what.substring(0, space + 1);
          html.append("<span class=\"del\">- ").append(Html.text(field + ": " + what)).append("</span>\n<span class=\"add\">+ ")
              .append(Html.text(field + ": " + key + change.substring(arrow + 3))).append("</span>\n");
        } else {
          html.append("<span class=\"chg\">~ ").append(Html.text(change)).append("</span>\n");
        }
      }
      html.append("</pre>");
    }
    return html.append("</section>").toString();
  }

  private static String annotations(Rollout r) {
    var annotations = r.getMetadata().getAnnotations();
    if (annotations == null || annotations.isEmpty()) {
      return "";
    }
    StringBuilder html = new StringBuilder("<section aria-labelledby=\"annotations\"><h2 id=\"annotations\">Annotations</h2>")
        .append("<dl class=\"facts annotations\">");
    new java.util.TreeMap<>(annotations).forEach((k, v) -> html.append("<dt>").append(Html.text(k)).append("</dt><dd>")
        .append(Html.text(v)).append("</dd>"));
    return html.append("</dl></section>").toString();
  }

  private static String history(RolloutStatus s) {
    if (s.getHistory() == null || s.getHistory().isEmpty()) {
      return "<p class=\"muted\">No verdict yet.</p>";
    }
    StringBuilder html = new StringBuilder("<table><thead><tr><th scope=\"col\">Revision</th><th scope=\"col\">Verdict</th>")
        .append("<th scope=\"col\">Why</th><th scope=\"col\">When</th></tr></thead><tbody>");
    for (int i = s.getHistory().size() - 1; i >= 0; i--) {
      RevisionRecord h = s.getHistory().get(i);
      html.append("<tr><td><code>").append(Html.text(h.getRevision())).append("</code></td><td>").append(Html.text(h.getVerdict()))
          .append("</td><td>").append(Html.text(h.getReason())).append("</td><td>").append(Html.text(h.getAt())).append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static String events(List<Event> events) {
    if (events.isEmpty()) {
      return "<p class=\"muted\">No Event.</p>";
    }
    StringBuilder html = new StringBuilder("<table class=\"events\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Type</th>")
        .append("<th scope=\"col\">Reason</th><th scope=\"col\">Message</th></tr></thead><tbody>");
    for (Event e : events) {
      html.append("<tr class=\"").append("Warning".equals(e.getType()) ? "warning" : "").append("\"><td>")
          .append(Html.text(RolloutWatch.when(e))).append("</td><td>").append(Html.text(e.getType())).append("</td><td>")
          .append(Html.text(e.getReason())).append("</td><td>").append(Html.text(e.getMessage())).append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }
}
