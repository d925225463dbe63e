package io.vigie.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.vigie.api.v1alpha1.AbortStatus;
import io.vigie.api.v1alpha1.AnalysisRunStatus;
import io.vigie.api.v1alpha1.MetricStatus;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.Rollout;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.metrics.OperatorMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard: valid JSON whose queries name only metrics the operator exports. */
class DashboardTest {
  private static final Path DASHBOARD = HelmChart.DIR.resolve("dashboards").resolve("vigie-operator.json");
  /** Metric names in PromQL: an identifier of one of the operator's metric families. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:vigie|operator_sdk|jvm|process|system)_[a-zA-Z0-9_:]*)");

  @Test
  void everyPanelQueriesOnlyMetricsTheOperatorExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    assertThat(dashboard.path("title").asText()).isEqualTo("Vigie operator");
    assertThat(dashboard.path("panels")).isNotEmpty();
    Set<String> exported = exportedMetricNames();
    List<String> queries = new ArrayList<>();
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      assertThat(panel.path("targets")).as("panel %s has queries", panel.path("title")).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertThat(expr).as("panel %s", panel.path("title")).isNotBlank();
        queries.add(expr);
        Matcher names = METRIC.matcher(expr);
        List<String> used = new ArrayList<>();
        while (names.find()) {
          used.add(names.group(1));
        }
        assertThat(used).as("metrics of %s", expr).isNotEmpty();
        assertThat(exported).as("exported metrics, for panel %s: %s", panel.path("title").asText(), expr).containsAll(used);
      }
    }
    String all = String.join("\n", queries);
    assertThat(all).contains("vigie_rollout_phase", "vigie_rollout_canary_weight", "vigie_rollout_step",
        "vigie_analysis_measurements_total", "vigie_rollbacks_total", "vigie_rollout_duration_seconds_bucket",
        "operator_sdk_controllers_execution_reconcile_seconds_bucket");
  }

  @Test
  void theChartCanShipItToGrafanasSidecarAsIs() throws IOException {
    ConfigMap map = HelmChart.render(Map.of("metrics", Map.of("grafanaDashboard", Map.of("enabled", true)))).one(ConfigMap.class);
    assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(map.getData().get("vigie-operator.json")).isEqualTo(Files.readString(DASHBOARD).stripTrailing());
    assertThat(HelmChart.render(Map.of()).all(ConfigMap.class)).isEmpty();
  }

  /** The names of the series a real operator's registry exposes once every kind of event happened. */
  private static Set<String> exportedMetricNames() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.leader(() -> true);
    Rollout rollout = new Rollout();
    rollout.getMetadata().setNamespace("shop");
    rollout.getMetadata().setName("web");
    RolloutStatus before = new RolloutStatus();
    before.setPhase(RolloutPhase.Progressing);
    before.setCanaryStartedAt("2026-01-01T00:00:00Z");
    rollout.setStatus(before);
    RolloutStatus after = new RolloutStatus();
    after.setPhase(RolloutPhase.RolledBack);
    after.setAbort(new AbortStatus("AnalysisFailed", "bad", "abc", "2026-01-01T00:05:00Z"));
    after.setHistory(List.of(new RevisionRecord("abc", RevisionRecord.Verdict.RolledBack, "bad", "2026-01-01T00:05:00Z")));
    MetricStatus metric = new MetricStatus();
    metric.setName("error-rate");
    metric.setSuccessful(1);
    metric.setFailed(1);
    metric.setInconclusive(1);
    metric.setErrors(1);
    AnalysisRunStatus run = new AnalysisRunStatus();
    run.setName("background");
    run.setMetrics(List.of(metric));
    after.setAnalysis(List.of(run));
    metrics.rollouts().reconciled(rollout, after);
    Metrics reconciles = metrics.reconciles();
    reconciles.timeControllerExecution(execution(false));
    try {
      reconciles.timeControllerExecution(execution(true));
    } catch (Exception expected) {
      // a failed reconcile is counted too
    }
    return metrics.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Metrics.ControllerExecution<String> execution(boolean fail) {
    return new Metrics.ControllerExecution<>() {
      @Override
      public String name() {
        return "reconcile";
      }

      @Override
      public String controllerName() {
        return "rollout";
      }

      @Override
      public String successTypeName(String result) {
        return result;
      }

      @Override
      public ResourceID resourceID() {
        return new ResourceID("web", "shop");
      }

      @Override
      public Map<String, Object> metadata() {
        return Map.of();
      }

      @Override
      public String execute() {
        if (fail) {
          throw new IllegalStateException("reconcile failed");
        }
        return "noUpdate";
      }
    };
  }
}
