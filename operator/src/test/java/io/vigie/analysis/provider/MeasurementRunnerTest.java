package io.vigie.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricProvider;
import io.vigie.api.v1alpha1.ThresholdRange;
import io.vigie.api.v1alpha1.WebProvider;
import io.vigie.testkit.HttpStub;
import io.vigie.testkit.SilentServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The runner keeps a provider that hangs from taking the threads other providers' measurements need. */
class MeasurementRunnerTest {
  private static final SecretReader NO_SECRETS = ref -> Optional.empty();

  @Test
  void aHangingProviderHoldsAtMostItsShareOfThreadsAndTheOthersMeasureMeanwhile() {
    try (SilentServer hanging = SilentServer.start(); HttpStub healthy = HttpStub.serving(() -> "{\"v\": 0.01}")) {
      Set<String> told = ConcurrentHashMap.newKeySet();
      MetricProviders providers = new MetricProviders(AddressPolicy.of(List.of("127.0.0.1"), Optional.empty()));
      // 10 threads: without a limit per provider, the 12 hanging measurements would take them all.
      try (MeasurementRunner runner = new MeasurementRunner(providers, 10, told::add)) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int r = 1; r <= 3; r++) {
          List<MeasurementRunner.Due> due = new ArrayList<>();
          for (int m = 1; m <= 4; m++) {
            due.add(new MeasurementRunner.Due("background", now.toString(), web("m" + m, hanging.url()), NO_SECRETS));
          }
          runner.exchange("shop/hung-" + r, due, now);
        }
        int hung = runner.inFlight("shop/hung-1") + runner.inFlight("shop/hung-2") + runner.inFlight("shop/hung-3");
        assertThat(hung).isEqualTo(MeasurementRunner.PER_PROVIDER);

        runner.exchange("shop/healthy", List.of(new MeasurementRunner.Due("background", now.toString(),
            web("errors", healthy.url("/")), NO_SECRETS)), now);
        await().atMost(Duration.ofSeconds(5)).until(() -> told.contains("shop/healthy"));
        assertThat(runner.exchange("shop/healthy", List.of(), now)).singleElement()
            .satisfies(f -> assertThat(f.measurement().value()).isEqualTo(0.01));
        assertThat(runner.inFlight("shop/hung-1") + runner.inFlight("shop/hung-2") + runner.inFlight("shop/hung-3"))
            .as("still hanging").isEqualTo(MeasurementRunner.PER_PROVIDER);

        // A Rollout held back is told when a slot frees: here, when another hung Rollout goes away.
        String heldBack = runner.inFlight("shop/hung-3") < 4 ? "shop/hung-3" : "shop/hung-2";
        String gone = heldBack.equals("shop/hung-3") ? "shop/hung-1" : "shop/hung-3";
        told.clear();
        runner.forget(gone);
        assertThat(told).contains(heldBack);
      }
    }
  }

  private static Metric web(String name, String url) {
    Metric metric = new Metric();
    metric.setName(name);
    WebProvider web = new WebProvider();
    web.setUrl(url);
    web.setJsonPointer("/v");
    web.setTimeout("30s");
    MetricProvider provider = new MetricProvider();
    provider.setWeb(web);
    metric.setProvider(provider);
    ThresholdRange range = new ThresholdRange();
    range.setMax(0.05);
    metric.setThresholdRange(range);
    return metric;
  }
}
