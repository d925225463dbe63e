package io.vigie.dashboard;

import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every Rollout as a row, what needs a person on top (Invalid, RolledBack, Paused), filtered by
 * namespace and phase with a plain form (works without the script, and with the keyboard).
 */
final class OverviewPage {
  private OverviewPage() {}

  static String render(RolloutWatch watch, String namespace, String phase, Instant now) {
    List<Rollout> all = watch.rollouts();
    List<Rollout> shown = all.stream()
        .filter(r -> namespace.isEmpty() || namespace.equals(r.getMetadata().getNamespace()))
        .filter(r -> phase.isEmpty() || phase.equals(PhaseStyle.of(status(r).getPhase()).word))
        .sorted(Comparator.comparingInt((Rollout r) -> PhaseStyle.of(status(r).getPhase()).rank)
            .thenComparing(r -> r.getMetadata().getNamespace()).thenComparing(r -> r.getMetadata().getName()))
        .toList();
    StringBuilder html = new StringBuilder("<h1>Rollouts</h1>");
    html.append(filters(all, namespace, phase));
    long needPerson = shown.stream().filter(r -> PhaseStyle.of(status(r).getPhase()).needsAPerson()).count();
    html.append("<p class=\"summary\">").append(shown.size()).append(" Rollout").append(shown.size() == 1 ? "" : "s")
        .append(needPerson > 0 ? ", <strong>" + needPerson + " waiting for a person</strong>" : "").append("</p>");
    if (shown.isEmpty()) {
      return html.append("<p class=\"muted\">No Rollout here.</p>").toString();
    }
    html.append("<div class=\"table\"><table class=\"rollouts\"><thead><tr><th scope=\"col\">Rollout</th>")
        .append("<th scope=\"col\">Phase</th><th scope=\"col\">Strategy</th><th scope=\"col\">Step</th>")
        .append("<th scope=\"col\">Weight</th><th scope=\"col\">Stable → canary</th><th scope=\"col\">Step age</th>")
        .append("<th scope=\"col\">Last verdict</th></tr></thead><tbody>");
    for (Rollout r : shown) {
      html.append(row(watch, r, now));
    }
    return html.append("</tbody></table></div>").toString();
  }

  private static String row(RolloutWatch watch, Rollout r, Instant now) {
    RolloutStatus s = status(r);
    String ns = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    PhaseStyle style = PhaseStyle.of(s.getPhase());
    RolloutWatch.Images images = watch.images(r);
    String verdict = Optional.ofNullable(s.getHistory()).filter(h -> !h.isEmpty()).map(h -> h.get(h.size() - 1))
        .map(h -> h.getVerdict() + " " + h.getRevision()).orElse("");
    return "<tr class=\"" + (style.needsAPerson() ? "attention" : "") + "\" data-rollout=\"" + Html.text(ns + "/" + name) + "\">"
        + "<th scope=\"row\"><a href=\"/rollouts/" + Html.segment(ns) + "/" + Html.segment(name) + "\">" + Html.text(name)
        + "</a><span class=\"ns\">" + Html.text(ns) + "</span></th>"
        + "<td>" + style.badge() + "<div class=\"message\">" + Html.text(s.getMessage()) + "</div></td>"
        + "<td>" + Html.text(strategy(r)) + "</td>"
        + "<td>" + progress(s) + "</td>"
        + "<td>" + (s.getCanaryWeight() == null ? "" : Html.text(s.getCanaryWeight() + "%")) + "</td>"
        + "<td>" + Html.text(images.stable()) + (images.canary().isEmpty() ? "" : " → " + Html.text(images.canary())) + "</td>"
        + "<td>" + Html.text(age(s.getStepStartedAt(), now)) + "</td>"
        + "<td>" + Html.text(verdict) + "</td></tr>";
  }

  static String progress(RolloutStatus s) {
    if (s.getStep() == null || !s.getStep().contains("/")) {
      return "";
    }
    String[] parts = s.getStep().split("/");
    return "<progress value=\"" + Html.text(parts[0]) + "\" max=\"" + Html.text(parts[1]) + "\" aria-label=\"step "
        + Html.text(s.getStep()) + "\"></progress> " + Html.text(s.getStep());
  }

  static String strategy(Rollout r) {
    return r.getSpec() != null && r.getSpec().getStrategy() != null && r.getSpec().getStrategy().getBlueGreen() != null
        ? "blue-green" : "canary";
  }

  static String age(String since, Instant now) {
    if (since == null) {
      return "";
    }
    try {
      Duration d = Duration.between(Instant.parse(since), now);
      return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() > 0 ? d.toMinutes() + "m"
          + d.toSecondsPart() + "s" : Math.max(0, d.toSeconds()) + "s";
    } catch (java.time.format.DateTimeParseException e) {
      return "";
    }
  }

  private static String filters(List<Rollout> all, String namespace, String phase) {
    TreeSet<String> namespaces = new TreeSet<>();
    all.forEach(r -> namespaces.add(r.getMetadata().getNamespace()));
    StringBuilder form = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/\">")
        .append("<label>Namespace <select name=\"namespace\"><option value=\"\">all</option>");
    for (String ns : namespaces) {
      form.append("<option").append(ns.equals(namespace) ? " selected" : "").append(">").append(Html.text(ns)).append("</option>");
    }
    form.append("</select></label><label>Phase <select name=\"phase\"><option value=\"\">all</option>");
    for (PhaseStyle p : PhaseStyle.values()) {
      if (p != PhaseStyle.UNKNOWN) {
        form.append("<option").append(p.word.equals(phase) ? " selected" : "").append(">").append(p.word).append("</option>");
      }
    }
    return form.append("</select></label><button type=\"submit\">Filter</button></form>").toString();
  }

  static RolloutStatus status(Rollout r) {
    return r.getStatus() == null ? new RolloutStatus() : r.getStatus();
  }
}
