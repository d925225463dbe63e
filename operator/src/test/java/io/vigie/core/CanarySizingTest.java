package io.vigie.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanarySizingTest {
  @ParameterizedTest(name = "weight {0} next to {1} stable pods: {2} canary pods")
  @CsvSource({
      "0, 4, 0", "5, 10, 1", "10, 9, 1", "20, 4, 1", "25, 9, 3", "50, 4, 4", "60, 4, 4", "100, 4, 4",
      "1, 1, 1", "30, 0, 1", "99, 3, 3"})
  void sizesTheCanaryAgainstTheTarget(int weight, int targetReplicas, int canary) {
    assertThat(CanarySizing.replicasFor(weight, targetReplicas)).isEqualTo(canary);
  }

  @Property
  void theCanaryNeverOutnumbersTheTargetAndHasAPodWhenAskedForWeight(
      @ForAll @IntRange(min = 0, max = 100) int weight, @ForAll @IntRange(min = 0, max = 500) int replicas) {
    int canary = CanarySizing.replicasFor(weight, replicas);
    assertThat(canary).isBetween(0, Math.max(1, replicas));
    assertThat(canary > 0).isEqualTo(weight > 0);
  }

  @Property
  void theShareIsAPercentageAndZeroWithoutReadyCanaryPods(
      @ForAll @IntRange(min = 0, max = 500) int stable, @ForAll @IntRange(min = 0, max = 500) int canary) {
    int share = CanarySizing.share(stable, canary);
    assertThat(share).isBetween(0, 100);
    assertThat(share == 0).isEqualTo(canary == 0 || 100.0 * canary / (stable + canary) < 0.5);
  }
}
