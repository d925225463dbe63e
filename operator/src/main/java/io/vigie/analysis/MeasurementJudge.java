package io.vigie.analysis;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.vigie.api.v1alpha1.AnalysisPhase;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.MetricUnit;
import io.vigie.api.v1alpha1.ThresholdRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges one measurement against its metric's rule: thresholdRange, or successCondition /
 * failureCondition in CEL (the expression language of Kubernetes), over the variable
 * {@code result}. No data and NaN are inconclusive: a canary that served nothing has proven
 * nothing. Infinities compare as numbers (a latency quantile of +Inf is beyond any maximum).
 */
public final class MeasurementJudge {
  // `result <= 500` must work although 500 is an int and result a double, as Kubernetes' CEL allows.
  // A condition's cost is bounded whatever its author writes: loops of at most 1,000 iterations,
  // regular expressions of a bounded size, a bounded nesting (and 1,024 characters, see MetricValidation).
  private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true)
      .comprehensionMaxIterations(1_000).maxRegexProgramSize(1_000).maxParseRecursionDepth(50).build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  private static final Map<String, Compiled> PROGRAMS = new ConcurrentHashMap<>();
  private static final int PROGRAMS_KEPT = 10_000;
  private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  /**
   * A condition compiled with each {{args.NAME}} bound as a typed CEL variable (a number, a bool or a
   * string, as its value reads), never spliced in as source: an arg '0.05 || true' is the string
   * "0.05 || true", which no comparison with result accepts.
   */
  private record Compiled(CelRuntime.Program program, Map<String, String> variableOfArg) {}

  private MeasurementJudge() {}

  /** The verdict of one measurement and why, e.g. (Failed, "0.21 > max 0.05"). */
  public record Judgement(AnalysisPhase phase, String why) {}

  public static Judgement judge(Metric metric, RawMeasurement raw) {
    return judge(metric, Map.of(), raw);
  }

  /** @param args the values of the args the metric's conditions name */
  public static Judgement judge(Metric metric, Map<String, String> args, RawMeasurement raw) {
    try {
      return judgeOrThrow(metric, args, raw);
    } catch (IllegalArgumentException e) {
      // A condition that fails on this value (e.g. int(result) of +Inf) judges nothing: an error.
      return new Judgement(AnalysisPhase.Error, e.getMessage());
    }
  }

  private static Judgement judgeOrThrow(Metric metric, Map<String, String> args, RawMeasurement raw) {
    switch (raw.kind()) {
      case ERROR:
        return new Judgement(AnalysisPhase.Error, raw.note());
      case NO_DATA:
        return new Judgement(AnalysisPhase.Inconclusive, raw.note());
      default:
        break;
    }
    if (JobMetrics.isJob(metric)) {
      return JobMetrics.judge(raw);
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
    MetricUnit unit = metric.getUnit();
    String shown = Quantity.show(unit, value);
    if (range != null) {
      if (range.getMax() != null && value > range.getMax()) {
        return new Judgement(AnalysisPhase.Failed, shown + " > max " + Quantity.show(unit, range.getMax()));
      }
      if (range.getMin() != null && value < range.getMin()) {
        return new Judgement(AnalysisPhase.Failed, shown + " < min " + Quantity.show(unit, range.getMin()));
      }
      return new Judgement(AnalysisPhase.Successful, shown + " is " + Quantity.range(unit, range));
    }
    String success = metric.getSuccessCondition() == null ? null : shown(metric.getSuccessCondition(), args);
    String failure = metric.getFailureCondition() == null ? null : shown(metric.getFailureCondition(), args);
    boolean failed = metric.getFailureCondition() != null && evaluate(metric.getFailureCondition(), args, value);
    if (failed) {
      return new Judgement(AnalysisPhase.Failed, shown + " meets the failure condition " + failure);
    }
    if (metric.getSuccessCondition() == null) {
      return new Judgement(AnalysisPhase.Successful, shown + " does not meet " + failure);
    }
    if (evaluate(metric.getSuccessCondition(), args, value)) {
      return new Judgement(AnalysisPhase.Successful, shown + " satisfies " + success);
    }
    return metric.getFailureCondition() == null
        ? new Judgement(AnalysisPhase.Failed, shown + " does not satisfy " + success)
        : new Judgement(AnalysisPhase.Inconclusive, shown + ": neither " + success + " nor " + failure);
  }

  /** A condition as people read it: each {{args.NAME}} shown as its value. */
  public static String shown(String condition, Map<String, String> args) {
    Matcher m = ArgPlaceholders.PATTERN.matcher(condition);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = args.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    return m.appendTail(out).toString();
  }

  /** Why a CEL condition cannot be used, or empty when it compiles to a boolean over result. */
  public static Optional<String> problemWith(String condition) {
    return problemWith(condition, Map.of());
  }

  /** Why a CEL condition cannot be used with these args' values, or empty when it compiles to a boolean. */
  public static Optional<String> problemWith(String condition, Map<String, String> args) {
    try {
      compiled(condition, args);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static boolean evaluate(String condition, Map<String, String> args, double value) {
    Compiled compiled = compiled(condition, args);
    Map<String, Object> bindings = new HashMap<>();
    bindings.put("result", value);
    compiled.variableOfArg().forEach((arg, variable) -> bindings.put(variable, typed(args.get(arg))));
    try {
      return Boolean.TRUE.equals(compiled.program().eval(bindings));
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("condition '" + shown(condition, args) + "' failed on " + number(value) + ": "
          + e.getMessage(), e);
    }
  }

  private static Compiled compiled(String condition, Map<String, String> args) {
    Map<String, String> variableOfArg = new LinkedHashMap<>();
    Matcher m = ArgPlaceholders.PATTERN.matcher(condition);
    StringBuilder source = new StringBuilder();
    StringBuilder key = new StringBuilder(condition);
    while (m.find()) {
      String arg = m.group(1);
      String value = args.get(arg);
      if (value == null) {
        throw new IllegalArgumentException("'" + condition + "' names {{args." + arg + "}}, which has no value");
      }
      String variable = variableOfArg.computeIfAbsent(arg, a -> "vigie_arg_" + variableOfArg.size());
      m.appendReplacement(source, variable);
      key.append('\u0000').append(arg).append('=').append(type(value));
    }
    m.appendTail(source);
    if (PROGRAMS.size() > PROGRAMS_KEPT) {
      PROGRAMS.clear();
    }
    return PROGRAMS.computeIfAbsent(key.toString(), k -> {
      var compiler = CelCompilerFactory.standardCelCompilerBuilder()
          .setOptions(OPTIONS)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("result", SimpleType.DOUBLE)
          .setResultType(SimpleType.BOOL);
      variableOfArg.forEach((arg, variable) -> compiler.addVar(variable, type(args.get(arg))));
      try {
        return new Compiled(RUNTIME.createProgram(compiler.build().compile(source.toString()).getAst()), Map.copyOf(variableOfArg));
      } catch (CelValidationException e) {
        String firstLine = e.getMessage().lines().findFirst().orElse("").replaceAll("vigie_arg_\\d+", "an arg")
            .replaceFirst(" \\(candidates: .*$", "");
        throw new IllegalArgumentException("'" + condition + "' is not a CEL condition over result"
            + (variableOfArg.isEmpty() ? "" : " with " + describeArgs(variableOfArg.keySet(), args)) + ": " + firstLine, e);
      } catch (CelEvaluationException e) {
        throw new IllegalArgumentException("'" + condition + "' cannot run: " + e.getMessage(), e);
      }
    });
  }

  private static String describeArgs(java.util.Set<String> names, Map<String, String> args) {
    List<String> parts = new ArrayList<>();
    for (String name : names) {
      String value = args.get(name);
      CelType type = type(value);
      parts.add(name + " = '" + value + "' (" + (type == SimpleType.DOUBLE ? "a number" : type == SimpleType.BOOL ? "a bool"
          : "a string") + ")");
    }
    return String.join(", ", parts);
  }

  /** The CEL type an arg's value reads as: a number, true or false, or else a string. */
  private static CelType type(String value) {
    if (NUMBER.matcher(value).matches()) {
      return SimpleType.DOUBLE;
    }
    return value.equals("true") || value.equals("false") ? SimpleType.BOOL : SimpleType.STRING;
  }

  private static Object typed(String value) {
    CelType type = type(value);
    return type == SimpleType.DOUBLE ? (Object) Double.parseDouble(value)
        : type == SimpleType.BOOL ? (Object) Boolean.parseBoolean(value) : value;
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
