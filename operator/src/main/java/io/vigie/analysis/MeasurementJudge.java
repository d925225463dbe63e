package io.vigie.analysis;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.ThresholdRange;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Judges one measurement against its metric's rule: thresholdRange, or successCondition /
 * failureCondition in CEL (the expression language of Kubernetes), over the variable
 * {@code result}. No data and NaN are inconclusive: a canary that served nothing has proven
 * nothing. Infinities compare as numbers (a latency quantile of +Inf is beyond any maximum).
 */
public final class MeasurementJudge {
  // `result <= 500` must work although 500 is an int and result a double, as Kubernetes' CEL allows.
  private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setOptions(OPTIONS)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("result", SimpleType.DOUBLE)
      .setResultType(SimpleType.BOOL)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private MeasurementJudge() {}

  /** The verdict of one measurement and why, e.g. (Failed, "0.21 > max 0.05"). */
  public record Judgement(AnalysisPhase phase, String why) {}

  public static Judgement judge(Metric metric, RawMeasurement raw) {
    try {
      return judgeOrThrow(metric, raw);
    } catch (IllegalArgumentException e) {
      // A condition that fails on this value (e.g. int(result) of +Inf) judges nothing: an error.
      return new Judgement(AnalysisPhase.Error, e.getMessage());
    }
  }

  private static Judgement judgeOrThrow(Metric metric, RawMeasurement raw) {
    switch (raw.kind()) {
      case ERROR:
        return new Judgement(AnalysisPhase.Error, raw.note());
      case NO_DATA:
        return new Judgement(AnalysisPhase.Inconclusive, raw.note());
      default:
        break;
    }
    double value = raw.value();
    if (metric.getMinRequests() != null) {
      if (raw.requests() == null || raw.requests().isNaN()) {
        return new Judgement(AnalysisPhase.Inconclusive, "no request count: minRequests " + number(metric.getMinRequests())
            + " needs the provider's requestsQuery or requestsJsonPointer to return a number");
      }
      if (raw.requests() < metric.getMinRequests()) {
        return new Judgement(AnalysisPhase.Inconclusive, number(raw.requests()) + " requests < minRequests "
            + number(metric.getMinRequests()) + ": not enough traffic to judge");
      }
    }
    if (Double.isNaN(value)) {
      return new Judgement(AnalysisPhase.Inconclusive, "NaN: nothing to judge (no traffic, or 0/0)");
    }
    ThresholdRange range = metric.getThresholdRange();
    if (range != null) {
      if (range.getMax() != null && value > range.getMax()) {
        return new Judgement(AnalysisPhase.Failed, number(value) + " > max " + number(range.getMax()));
      }
      if (range.getMin() != null && value < range.getMin()) {
        return new Judgement(AnalysisPhase.Failed, number(value) + " < min " + number(range.getMin()));
      }
      return new Judgement(AnalysisPhase.Successful, number(value) + " within " + describe(range));
    }
    boolean failed = metric.getFailureCondition() != null && evaluate(metric.getFailureCondition(), value);
    if (failed) {
      return new Judgement(AnalysisPhase.Failed, number(value) + " meets the failure condition " + metric.getFailureCondition());
    }
    if (metric.getSuccessCondition() == null) {
      return new Judgement(AnalysisPhase.Successful, number(value) + " does not meet " + metric.getFailureCondition());
    }
    if (evaluate(metric.getSuccessCondition(), value)) {
      return new Judgement(AnalysisPhase.Successful, number(value) + " satisfies " + metric.getSuccessCondition());
    }
    return metric.getFailureCondition() == null
        ? new Judgement(AnalysisPhase.Failed, number(value) + " does not satisfy " + metric.getSuccessCondition())
        : new Judgement(AnalysisPhase.Inconclusive, number(value) + ": neither " + metric.getSuccessCondition()
            + " nor " + metric.getFailureCondition());
  }

  /** Why a CEL condition cannot be used, or empty when it compiles to a boolean over result. */
  public static Optional<String> problemWith(String condition) {
    try {
      program(condition);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static boolean evaluate(String condition, double value) {
    try {
      return Boolean.TRUE.equals(program(condition).eval(Map.of("result", value)));
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("condition '" + condition + "' failed on " + number(value) + ": " + e.getMessage(), e);
    }
  }

  private static CelRuntime.Program program(String condition) {
    return PROGRAMS.computeIfAbsent(condition, c -> {
      try {
        return RUNTIME.createProgram(COMPILER.compile(c).getAst());
      } catch (CelValidationException e) {
        throw new IllegalArgumentException("'" + c + "' is not a CEL condition over result: " + e.getMessage().lines()
            .findFirst().orElse(""), e);
      } catch (CelEvaluationException e) {
        throw new IllegalArgumentException("'" + c + "' cannot run: " + e.getMessage(), e);
      }
    });
  }

  private static String describe(ThresholdRange range) {
    return "[" + (range.getMin() == null ? "-Inf" : number(range.getMin())) + ", "
        + (range.getMax() == null ? "+Inf" : number(range.getMax())) + "]";
  }

  /** A number as people write it: 0.05, 300, NaN, +Inf. */
  public static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    String text = String.format(java.util.Locale.ROOT, "%.4g", value);
    if (text.contains("e")) {
      return text;
    }
    return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
  }
}
