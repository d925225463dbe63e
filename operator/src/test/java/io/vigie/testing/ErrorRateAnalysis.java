package io.vigie.testing;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.testkit.HttpStub;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An analysis step on the error rate of the requests the canary actually served ({@link CanaryTraffic},
 * replica ratios): a bad image fails a quarter of them; a canary with no traffic gives no evidence. It
 * creates the AnalysisTemplate error-rate and the metrics endpoint, which the test closes.
 */
public record ErrorRateAnalysis(CanaryStep step, HttpStub metrics) {

  public static ErrorRateAnalysis create(OperatorHarness k8s) {
    CanaryTraffic traffic = new CanaryTraffic(k8s.client(), OperatorHarness.NS, "web", Routes.REPLICAS,
        image -> image.contains("bad") ? 0.25 : 0.0);
    HttpStub metrics = HttpStub.serving(traffic::scrape);
    k8s.client().load(new ByteArrayInputStream("""
        apiVersion: vigie.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: error-rate}
        spec:
          metrics:
            - name: error-rate
              count: 1
              minRequests: 1
              thresholdRange: {max: 0.05}
              unit: ratio
              provider:
                web: {url: "%s", jsonPointer: /errorRate, requestsJsonPointer: /requests}
        """.formatted(metrics.url("/errors")).getBytes(StandardCharsets.UTF_8))).inNamespace(OperatorHarness.NS).create();
    CanaryStep step = new CanaryStep();
    step.setAnalysis(new RolloutAnalysis());
    step.getAnalysis().setTemplates(List.of(TemplateRef.named("error-rate")));
    return new ErrorRateAnalysis(step, metrics);
  }
}
