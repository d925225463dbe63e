package io.vigie.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigie.analysis.judge.Comparison.Direction;
import io.vigie.analysis.judge.Comparison.Result;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static final double[] BASELINE = {0.20, 0.21, 0.19, 0.22, 0.20, 0.21, 0.20, 0.19, 0.22, 0.21};

  @Test
  void aCanaryTwiceAsSlowIsHighAndFailsWhenAnIncreaseIsWorse() {
    double[] canary = java.util.Arrays.stream(BASELINE).map(v -> v * 2).toArray();
    Comparison c = Comparison.judge(canary, BASELINE, Direction.INCREASE, 0.10, 0.98, 5);
    assertThat(c.result()).isEqualTo(Result.HIGH);
    assertThat(c.result().fails(Direction.INCREASE)).isTrue();
    assertThat(c.result().fails(Direction.DECREASE)).isFalse();
    assertThat(c.reason()).startsWith("higher by ");
    assertThat(c.shift()).hasValueSatisfying(s -> assertThat(s.lower()).isPositive());
  }

  @Test
  void aShiftWithinTheTolerancePasses() {
    double[] canary = java.util.Arrays.stream(BASELINE).map(v -> v * 1.05).toArray();
    Comparison c = Comparison.judge(canary, BASELINE, Direction.INCREASE, 0.10, 0.98, 5);
    assertThat(c.result()).isEqualTo(Result.PASS);
  }

  @Test
  void tooFewPointsOnEitherSideIsNoDataNeverPass() {
    Comparison c = Comparison.judge(new double[] {0.2, 0.3}, BASELINE, Direction.INCREASE, 0.10, 0.98, 5);
    assertThat(c.result()).isEqualTo(Result.NO_DATA);
    assertThat(c.reason()).isEqualTo("the canary has 2 points and the comparison side 10: each needs 5");
    assertThat(Comparison.judge(BASELINE, new double[0], Direction.EITHER, 0.1, 0.98, 1).result()).isEqualTo(Result.NO_DATA);
  }

  @Test
  void notANumberOrInfinityIsAnErrorNamingTheSide() {
    double[] withNaN = {0.2, Double.NaN, 0.3, 0.2, 0.2};
    assertThatThrownBy(() -> Comparison.judge(withNaN, BASELINE, Direction.INCREASE, 0.1, 0.98, 3))
        .hasMessageStartingWith("the canary side has a point that is NaN");
    double[] withInf = {0.2, Double.POSITIVE_INFINITY, 0.3};
    assertThatThrownBy(() -> Comparison.judge(BASELINE, withInf, Direction.INCREASE, 0.1, 0.98, 3))
        .hasMessageStartingWith("the comparison side has a point that is Infinity");
  }
}
