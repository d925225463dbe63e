package io.vigie.it;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.ClusterAnalysisTemplate;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.RevisionRecord;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.api.v1alpha1.RolloutStatus;
import io.vigie.api.v1alpha1.TemplateArg;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.api.v1alpha1.ThresholdRange;
import io.vigie.api.v1alpha1.WebHeader;
import io.vigie.api.v1alpha1.WebProvider;
import io.vigie.testkit.HttpStub;
import io.vigie.testing.OperatorHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An analysis step of a ClusterAnalysisTemplate (cluster-scoped, the admin's) that sends a token
 * from a Secret of the Rollout's namespace: the admin's template names it, so it needs no label
 * (docs/security.md), and it goes to the address the template sets. The operator reads both
 * objects, and the canary promotes on the measurement.
 */
class ClusterTemplateTest {
  private static final String TOKEN = "stats-token-1f2e";
  private OperatorHarness k8s;
  private HttpStub app;

  @BeforeEach
  void start() {
    k8s = OperatorHarness.start();
    app = HttpStub.answering(r -> HttpStub.Response.json("{\"errorRate\":0.01}"));
  }

  @AfterEach
  void stop() {
    app.close();
    k8s.close();
  }

  @Test
  void aClusterTemplateWithASecretItNamesIsResolvedMeasuredAndPromotes() {
    k8s.client().secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName("stats").withNamespace(NS).endMetadata()
        .addToStringData("token", TOKEN).build()).create();
    k8s.client().resources(ClusterAnalysisTemplate.class).resource(template(app.url("/stats"))).create();
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    RolloutAnalysis analysis = new RolloutAnalysis();
    TemplateRef ref = TemplateRef.named("error-rate");
    ref.setClusterScope(true);
    analysis.setTemplates(List.of(ref));
    CanaryStep step = new CanaryStep();
    step.setAnalysis(analysis);
    k8s.createRollout("web", "web", "web", CanaryStep.weight(50), step);
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    k8s.setImage("web", "shop/web:v2");

    RolloutStatus healthy = k8s.awaitStatus("web", s -> s.getPhase() == RolloutPhase.Healthy && !s.getHistory().isEmpty());
    assertThat(healthy.getHistory()).singleElement().satisfies(h -> assertThat(h.getVerdict()).isEqualTo(RevisionRecord.Verdict.Promoted));
    assertThat(healthy.getAnalysis()).singleElement().satisfies(run -> assertThat(run.getMetrics()).singleElement()
        .satisfies(m -> assertThat(m.getSuccessful()).isEqualTo(1)));
    assertThat(app.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo(TOKEN));
  }

  private static ClusterAnalysisTemplate template(String url) {
    WebProvider web = new WebProvider();
    web.setUrl("{{args.url}}");
    web.setJsonPointer("/errorRate");
    web.setHeaders(List.of(WebHeader.fromSecret("authorization", "stats", "token")));
    MetricProvider provider = new MetricProvider();
    provider.setWeb(web);
    Metric metric = new Metric();
    metric.setName("error-rate");
    metric.setProvider(provider);
    metric.setCount(1);
    metric.setInterval("10s");
    ThresholdRange range = new ThresholdRange();
    range.setMax(0.05);
    metric.setThresholdRange(range);
    AnalysisTemplateSpec spec = new AnalysisTemplateSpec();
    TemplateArg arg = new TemplateArg();
    arg.setName("url");
    arg.setValue(url);
    spec.setArgs(List.of(arg));
    spec.setMetrics(List.of(metric));
    ClusterAnalysisTemplate template = new ClusterAnalysisTemplate();
    template.getMetadata().setName("error-rate");
    template.setSpec(spec);
    return template;
  }
}
