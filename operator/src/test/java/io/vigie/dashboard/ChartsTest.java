package io.vigie.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.MeasurementStatus;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard's charts: values and limits read as the status words them, points where they belong, text alternatives. */
class ChartsTest {
  private static MeasurementStatus measured(String value, AnalysisPhase phase) {
    MeasurementStatus m = new MeasurementStatus();
    m.setAt("2026-01-01T00:00:00Z");
    m.setValue(value);
    m.setPhase(phase);
    return m;
  }

  @Test
  void valuesAndLimitsAreReadOnOneScale() {
    assertThat(Charts.value("12.5%")).hasValue(0.125);
    assertThat(Charts.value("300 ms")).hasValue(0.3);
    assertThat(Charts.value("1.5 s")).hasValue(1.5);
    assertThat(Charts.value("0.02")).hasValue(0.02);
    assertThat(Charts.value("no data")).isEmpty();
    assertThat(Charts.limits("at most 5%")).containsExactly(0.05);
    assertThat(Charts.limits("between 100 ms and 2 s")).containsExactly(0.1, 2.0);
    assertThat(Charts.limits("success when result <= 0.05")).isEmpty();
  }

  @Test
  void aMetricsPointsSitAgainstItsLimitAndSayTheirVerdict() {
    String svg = Charts.metric("error-rate", List.of(measured("1%", AnalysisPhase.Successful), measured("20%", AnalysisPhase.Failed)),
        "at most 5%");
    assertThat(svg).contains("aria-label=\"error-rate: 2 measurements, rule at most 5%, last 20%\"");
    Matcher limit = Pattern.compile("<line class=\"limit\" x1=\"24\" x2=\"468\" y1=\"([0-9.]+)\"").matcher(svg);
    assertThat(limit.find()).isTrue();
    Matcher failed = Pattern.compile("<circle class=\"m failed\" r=\"4\" cx=\"[0-9.]+\" cy=\"([0-9.]+)\"").matcher(svg);
    Matcher passed = Pattern.compile("<circle class=\"m successful\" r=\"4\" cx=\"[0-9.]+\" cy=\"([0-9.]+)\"").matcher(svg);
    assertThat(failed.find()).isTrue();
    assertThat(passed.find()).isTrue();
    double limitY = Double.parseDouble(limit.group(1));
    assertThat(Double.parseDouble(failed.group(1))).as("above the limit (SVG y grows downwards)").isLessThan(limitY);
    assertThat(Double.parseDouble(passed.group(1))).as("below the limit").isGreaterThan(limitY);
  }

  @Test
  void theCanaryIsShownAgainstItsBaselineAndTheTrafficAsSteps() {
    String versus = Charts.versus("latency-p99", "baseline", "", 0.42, 0.21, "shift 0.2 [0.15, 0.25], Worse");
    assertThat(versus).contains("aria-label=\"latency-p99: canary 0.420 against baseline 0.210; shift 0.2 [0.15, 0.25], Worse\"");
    Matcher widths = Pattern.compile("<rect class=\"bar (canary|other)\" x=\"90\" y=\"[0-9]+\" height=\"20\" width=\"([0-9.]+)\"")
        .matcher(versus);
    assertThat(widths.find()).isTrue();
    double canary = Double.parseDouble(widths.group(2));
    assertThat(widths.find()).isTrue();
    assertThat(canary).as("twice the baseline").isCloseTo(2 * Double.parseDouble(widths.group(2)), org.assertj.core.data.Offset.offset(0.2));

    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    String traffic = Charts.traffic(List.of(new RolloutWatch.TrafficPoint(t, 0), new RolloutWatch.TrafficPoint(t.plusSeconds(60), 20),
        new RolloutWatch.TrafficPoint(t.plusSeconds(120), 50)), t.plusSeconds(180));
    assertThat(traffic).contains("aria-label=\"Canary weight over time: 0%, 20%, 50%; now 50%\"");
  }

  @Test
  void textFromTheClusterIsEscaped() {
    assertThat(Html.text("<script>alert('x') & \"y\"</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    assertThat(Charts.metric("<b>", List.of(), "at most 1")).doesNotContain("<b>").contains("&lt;b&gt;");
  }
}
