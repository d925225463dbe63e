package io.vigie.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vigie.api.v1alpha1.AnalysisArg;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Durations;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.TemplateArg;
import io.vigie.api.v1alpha1.TemplateRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a Rollout's analyses into the metrics they run: templates looked up, inline metrics
 * added, {@code {{args.NAME}}} substituted in the providers' fields and in the success and
 * failure conditions, from the Rollout's args, the
 * built-in args and the templates' defaults. Everything that cannot work is reported as a problem
 * naming the field to fix, so the Rollout goes Invalid before any traffic moves.
 */
public final class AnalysisResolver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");
  /** Every built-in arg, known or not yet (the stable revision before adoption). */
  public static final Set<String> BUILTINS = Set.of("namespace", "rollout", "service", "stable-service", "canary-service",
      "deployment", "canary-deployment", "stable-revision", "canary-revision", "stable-pod-template-hash");

  private AnalysisResolver() {}

  /** The analyses, or the problems that keep them from running. */
  public record Resolution(ResolvedAnalysis analysis, List<String> problems) {}

  /**
   * @param builtins the built-in args (namespace, rollout, service, stable-service, ...)
   * @param templates finds a referenced template's spec
   * @param secrets reads a Secret key of the Rollout's namespace; empty when absent
   * @param templateName how to name a template reference in messages ("AnalysisTemplate shop/x")
   * @param defaultPrometheus the operator's --prometheus-address, empty when unset
   */
  public static Resolution resolve(RolloutSpec spec, Map<String, String> builtins,
      Function<TemplateRef, Optional<AnalysisTemplateSpec>> templates, Function<SecretKeyRef, Optional<String>> secrets,
      Function<TemplateRef, String> templateName, Optional<String> defaultPrometheus) {
    List<String> problems = new ArrayList<>();
    Optional<ResolvedAnalysis.Run> background = Optional.empty();
    if (spec.getAnalysis() != null) {
      ResolvedAnalysis.Run run = run("spec.analysis", spec.getAnalysis(), builtins, templates, secrets, templateName,
          defaultPrometheus, problems);
      // The background analysis watches the whole canary: a template's count, written for a step,
      // would end it early and leave the rest of the canary unwatched.
      run.metrics().forEach(m -> m.setCount(null));
      background = Optional.of(run);
    }
    Map<Integer, ResolvedAnalysis.Run> steps = new LinkedHashMap<>();
    List<CanaryStep> canarySteps = spec.getStrategy() == null || spec.getStrategy().getCanary() == null
        ? List.of() : spec.getStrategy().getCanary().getSteps();
    for (int i = 0; i < canarySteps.size(); i++) {
      CanaryStep step = canarySteps.get(i);
      if (step != null && step.getAnalysis() != null) {
        steps.put(i, run("spec.strategy.canary.steps[" + i + "].analysis", step.getAnalysis(), builtins, templates, secrets,
            templateName, defaultPrometheus, problems));
      }
    }
    return new Resolution(new ResolvedAnalysis(background, Map.copyOf(steps)), List.copyOf(problems));
  }

  private static ResolvedAnalysis.Run run(String where, RolloutAnalysis analysis, Map<String, String> builtins,
      Function<TemplateRef, Optional<AnalysisTemplateSpec>> templates, Function<SecretKeyRef, Optional<String>> secrets,
      Function<TemplateRef, String> templateName, Optional<String> defaultPrometheus, List<String> problems) {
    int problemsBefore = problems.size();
    Map<String, String> given = new HashMap<>(builtins);
    List<AnalysisArg> args = Optional.ofNullable(analysis.getArgs()).orElse(List.of());
    for (int i = 0; i < args.size(); i++) {
      AnalysisArg arg = args.get(i);
      String at = where + ".args[" + i + "]";
      if (arg.getValue() != null) {
        given.put(arg.getName(), arg.getValue());
      } else if (arg.getValueFrom() != null && arg.getValueFrom().getSecretKeyRef() != null) {
        SecretKeyRef ref = arg.getValueFrom().getSecretKeyRef();
        Optional<String> value = secrets.apply(ref);
        if (value.isPresent()) {
          given.put(arg.getName(), value.get());
        } else {
          problems.add(at + ": Secret " + builtins.get("namespace") + "/" + ref.getName() + " has no key '" + ref.getKey()
              + "': create it or fix the secretKeyRef");
        }
      } else {
        problems.add(at + ": arg " + arg.getName() + " has neither value nor valueFrom");
      }
    }
    List<Metric> metrics = new ArrayList<>();
    List<TemplateRef> refs = Optional.ofNullable(analysis.getTemplates()).orElse(List.of());
    for (int i = 0; i < refs.size(); i++) {
      TemplateRef ref = refs.get(i);
      String at = where + ".templates[" + i + "]";
      Optional<AnalysisTemplateSpec> template = templates.apply(ref);
      if (template.isEmpty()) {
        problems.add(at + ": " + templateName.apply(ref) + " not found: create it or fix the name");
        continue;
      }
      Map<String, String> values = new HashMap<>(builtins);
      Set<String> declared = new HashSet<>(BUILTINS);
      for (TemplateArg arg : Optional.ofNullable(template.get().getArgs()).orElse(List.of())) {
        declared.add(arg.getName());
        String value = given.containsKey(arg.getName()) ? given.get(arg.getName()) : arg.getValue();
        if (value == null) {
          problems.add(at + ": arg '" + arg.getName() + "' of " + templateName.apply(ref) + " has no value: set it in "
              + where + ".args");
        } else {
          values.put(arg.getName(), value);
        }
      }
      for (Metric metric : Optional.ofNullable(template.get().getMetrics()).orElse(List.of())) {
        metrics.add(substitute(metric, values, declared, at + " (" + templateName.apply(ref) + ") metric " + metric.getName(),
            problems));
      }
    }
    List<Metric> inline = Optional.ofNullable(analysis.getMetrics()).orElse(List.of());
    Set<String> known = new HashSet<>(given.keySet());
    known.addAll(BUILTINS);
    for (int i = 0; i < inline.size(); i++) {
      metrics.add(substitute(inline.get(i), given, known, where + ".metrics[" + i + "]", problems));
    }
    Set<String> names = new HashSet<>();
    for (Metric metric : metrics) {
      if (!names.add(metric.getName())) {
        problems.add(where + ": two metrics are named " + metric.getName() + ": metric names must be unique in an analysis");
      }
      checkMetric(where + " metric " + metric.getName(), metric, defaultPrometheus, problems);
    }
    if (metrics.isEmpty() && problems.size() == problemsBefore) {
      problems.add(where + ": has no metric to measure (its templates are empty, or it names none): an analysis "
          + "without a metric would pass on nothing");
    }
    OnMetricsError onError = analysis.getOnMetricsError() == null ? OnMetricsError.Pause : analysis.getOnMetricsError();
    return new ResolvedAnalysis.Run(List.copyOf(metrics), onError);
  }

  private static void checkMetric(String where, Metric metric, Optional<String> defaultPrometheus, List<String> problems) {
    if (metric.getThresholdRange() == null && metric.getSuccessCondition() == null && metric.getFailureCondition() == null) {
      problems.add(where + ": needs a rule: thresholdRange, successCondition or failureCondition");
    }
    var range = metric.getThresholdRange();
    if (range != null && range.getMin() == null && range.getMax() == null) {
      problems.add(where + ": thresholdRange has neither min nor max, so nothing could fail: give one");
    }
    if (range != null && range.getMin() != null && range.getMax() != null && range.getMin() > range.getMax()) {
      problems.add(where + ": thresholdRange min " + range.getMin() + " is above max " + range.getMax());
    }
    if (metric.getMinSamples() != null && metric.getMinSamples() < 1) {
      problems.add(where + ": minSamples must be 1 or more, or no measurement would be needed to pass");
    }
    if (metric.getCount() != null && metric.getCount() < 1) {
      problems.add(where + ": count must be 1 or more");
    }
    for (String condition : new String[] {metric.getSuccessCondition(), metric.getFailureCondition()}) {
      // A condition still holding a placeholder has an unset arg, already reported.
      if (condition != null && !PLACEHOLDER.matcher(condition).find()) {
        MeasurementJudge.problemWith(condition).ifPresent(p -> problems.add(where + ": " + p));
      }
    }
    for (String duration : new String[] {metric.getInterval(), metric.getInitialDelay()}) {
      if (duration != null) {
        try {
          Durations.parse(duration);
        } catch (IllegalArgumentException e) {
          problems.add(where + ": " + e.getMessage());
        }
      }
    }
    if (metric.getProvider() == null || (metric.getProvider().getPrometheus() == null) == (metric.getProvider().getWeb() == null)) {
      problems.add(where + ": needs exactly one provider, prometheus or web");
      return;
    }
    var prometheus = metric.getProvider().getPrometheus();
    if (prometheus != null) {
      if (prometheus.getQuery() == null || prometheus.getQuery().isBlank()) {
        problems.add(where + ": provider.prometheus.query is empty");
      }
      if (prometheus.getAddress() == null) {
        if (defaultPrometheus.isPresent()) {
          prometheus.setAddress(defaultPrometheus.get());
        } else {
          problems.add(where + ": no Prometheus address: set provider.prometheus.address or run the operator with "
              + "--prometheus-address");
        }
      }
    }
    if (metric.getProvider().getWeb() != null && (metric.getProvider().getWeb().getUrl() == null)) {
      problems.add(where + ": provider.web.url is empty");
    }
    if (metric.getMinRequests() != null && prometheus != null && prometheus.getRequestsQuery() == null) {
      problems.add(where + ": minRequests needs provider.prometheus.requestsQuery");
    }
    if (metric.getMinRequests() != null && metric.getProvider().getWeb() != null
        && metric.getProvider().getWeb().getRequestsJsonPointer() == null) {
      problems.add(where + ": minRequests needs provider.web.requestsJsonPointer");
    }
  }

  /** A copy of the metric with {{args.NAME}} replaced in its provider's fields and its conditions. */
  private static Metric substitute(Metric metric, Map<String, String> values, Set<String> declared, String where,
      List<String> problems) {
    ObjectNode tree = JSON.valueToTree(metric);
    for (String field : new String[] {"provider", "successCondition", "failureCondition"}) {
      JsonNode node = tree.get(field);
      if (node != null && node.isTextual()) {
        tree.set(field, TextNode.valueOf(replace(node.asText(), values, declared, where, problems)));
      } else if (node != null) {
        replaceTexts(node, values, declared, where, problems);
      }
    }
    return JSON.convertValue(tree, Metric.class);
  }

  private static void replaceTexts(JsonNode node, Map<String, String> values, Set<String> declared, String where,
      List<String> problems) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode child = object.get(name);
        if (child.isTextual()) {
          object.set(name, TextNode.valueOf(replace(child.asText(), values, declared, where, problems)));
        } else {
          replaceTexts(child, values, declared, where, problems);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> replaceTexts(child, values, declared, where, problems));
    }
  }

  private static String replace(String text, Map<String, String> values, Set<String> declared, String where,
      List<String> problems) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        if (!declared.contains(name)) {
          problems.add(where + ": {{args." + name + "}} names no declared or built-in arg");
        }
        value = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
