package io.vigie.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mann–Whitney U, its p-value and the Hodges–Lehmann shift with its interval against values SciPy
 * and NumPy computed (src/test/resources/judge/reference.csv, made by make-reference.py beside it).
 */
class ReferenceStatisticsTest {
  record Case(String name, double[] x, double[] y, double u, double p, double shift, double lower, double upper) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() throws IOException {
    try (InputStream in = ReferenceStatisticsTest.class.getResourceAsStream("/judge/reference.csv")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
      return lines.stream().map(line -> {
        String[] f = line.split(",");
        return new Case(f[0], points(f[1]), points(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
            Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]));
      }).toList();
    }
  }

  private static double[] points(String field) {
    return Arrays.stream(field.split(";")).mapToDouble(Double::parseDouble).toArray();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void mannWhitneyMatchesScipy(Case c) {
    MannWhitney test = MannWhitney.test(c.x(), c.y());
    assertThat(test.u()).isEqualTo(c.u());
    assertThat(test.pValue()).isCloseTo(c.p(), within(1e-12));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void hodgesLehmannMatchesNumpy(Case c) {
    ShiftEstimate shift = ShiftEstimate.of(c.x(), c.y(), 0.95);
    assertThat(shift.shift()).isCloseTo(c.shift(), within(1e-12));
    assertThat(shift.lower()).isCloseTo(c.lower(), within(1e-12));
    assertThat(shift.upper()).isCloseTo(c.upper(), within(1e-12));
  }
}
