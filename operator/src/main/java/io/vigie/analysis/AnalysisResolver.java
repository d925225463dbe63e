package io.vigie.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigie.api.v1alpha1.AnalysisArg;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.Limits;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutAnalysis.OnMetricsError;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.analysis.provider.MeasurementException;
import io.vigie.analysis.provider.SecretReader;
import io.vigie.api.v1alpha1.ScoreThresholds;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.TemplateArg;
import io.vigie.api.v1alpha1.TemplateRef;
import io.vigie.domain.Names;
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

/**
 * Expands a Rollout's analyses into the metrics they run: templates looked up, inline metrics
 * added, {@code {{args.NAME}}} filled in the providers' fields (see {@link ArgPlaceholders}) and
 * bound as typed variables in the success and failure conditions, from the Rollout's args, the
 * built-in args and the templates' defaults. Everything that cannot work is reported as a problem
 * naming the field to fix, so the Rollout goes Invalid before any traffic moves.
 */
public final class AnalysisResolver {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Every built-in arg, known or not yet (the stable revision before adoption). */
  public static final Set<String> BUILTINS = Set.of("namespace", "rollout", "service", "stable-service", "canary-service",
      "deployment", "canary-deployment", "stable-revision", "canary-revision", "stable-pod-template-hash", "preview-service");

  private AnalysisResolver() {}

  /** The analyses, or the problems that keep them from running. */
  public record Resolution(ResolvedAnalysis analysis, List<String> problems) {}

  /**
   * A metric with its provider's args filled in, the values of the args its conditions name, and
   * whether it comes from a ClusterAnalysisTemplate (the admin's).
   */
  private record Substituted(Metric metric, Map<String, String> conditionArgs, boolean admin) {}

  /** Where an arg's value may go and where it comes from. */
  private record Args(Map<String, String> values, Set<String> declared, Set<String> fromSecrets) {}

  /**
   * @param builtins the built-in args (namespace, rollout, service, stable-service, ...)
   * @param templates finds a referenced template's spec
   * @param secrets reads a Secret key of the Rollout's namespace for the Rollout's args (empty when
   *     absent; throws when Vigie may not read that Secret)
   * @param templateName how to name a template reference in messages ("AnalysisTemplate shop/x")
   * @param defaultPrometheus the operator's --prometheus-address, empty when unset
   */
  public static Resolution resolve(RolloutSpec spec, Map<String, String> builtins,
      Function<TemplateRef, Optional<AnalysisTemplateSpec>> templates, SecretReader secrets,
      Function<TemplateRef, String> templateName, Optional<String> defaultPrometheus) {
    Context context = new Context(builtins, templates, secrets, templateName, defaultPrometheus, new ArrayList<>());
    Optional<ResolvedAnalysis.Run> background = Optional.empty();
    if (spec.getAnalysis() != null) {
      ResolvedAnalysis.Run run = context.run("spec.analysis", spec.getAnalysis());
      // The background analysis watches the whole canary: a template's count, written for a step,
      // would end it early and leave the rest of the canary unwatched.
      run.metrics().forEach(m -> m.setCount(null));
      background = Optional.of(run);
    }
    Map<Integer, ResolvedAnalysis.Run> steps = new LinkedHashMap<>();
    List<CanaryStep> canarySteps = spec.getStrategy() == null || spec.getStrategy().getCanary() == null
        || spec.getStrategy().getCanary().getSteps() == null ? List.of() : spec.getStrategy().getCanary().getSteps();
    for (int i = 0; i < canarySteps.size(); i++) {
      CanaryStep step = canarySteps.get(i);
      if (step != null && step.getAnalysis() != null) {
        steps.put(i, context.run("spec.strategy.canary.steps[" + i + "].analysis", step.getAnalysis()));
      }
    }
    ResolvedAnalysis.BlueGreen blueGreen = ResolvedAnalysis.BlueGreen.of(spec.getStrategy(), context::run);
    ResolvedAnalysis.Guards guards = spec.getGuards() == null ? ResolvedAnalysis.Guards.NONE
        : GuardsResolution.of(spec.getGuards(), context::run, context.problems());
    int total = java.util.stream.Stream.of(background, blueGreen.prePromotion(), blueGreen.postPromotion(), guards.surge(),
            guards.stable()).flatMap(Optional::stream).mapToInt(r -> r.metrics().size()).sum()
        + steps.values().stream().mapToInt(r -> r.metrics().size()).sum();
    if (total > Limits.METRICS_PER_ROLLOUT) {
      context.problems().add("the analyses of this Rollout run " + total + " metrics: at most " + Limits.METRICS_PER_ROLLOUT
          + ", all analyses together");
    }
    return new Resolution(new ResolvedAnalysis(background, Map.copyOf(steps), guards, blueGreen), List.copyOf(context.problems()));
  }

  private record Context(Map<String, String> builtins, Function<TemplateRef, Optional<AnalysisTemplateSpec>> templates,
      SecretReader secrets, Function<TemplateRef, String> templateName,
      Optional<String> defaultPrometheus, List<String> problems) {

    ResolvedAnalysis.Run run(String where, RolloutAnalysis analysis) {
      int problemsBefore = problems.size();
      Set<String> fromSecrets = new HashSet<>();
      Map<String, String> given = givenArgs(where, analysis, fromSecrets);
      List<Substituted> metrics = new ArrayList<>();
      List<TemplateRef> refs = Optional.ofNullable(analysis.getTemplates()).orElse(List.of());
      if (refs.size() > Limits.TEMPLATES) {
        problems.add(where + ".templates has " + refs.size() + " templates: at most " + Limits.TEMPLATES);
        refs = List.of();
      }
      for (int i = 0; i < refs.size(); i++) {
        metrics.addAll(templateMetrics(where + ".templates[" + i + "]", refs.get(i), given, fromSecrets));
      }
      List<Metric> inline = Optional.ofNullable(analysis.getMetrics()).orElse(List.of());
      if (inline.size() > Limits.METRICS) {
        problems.add(where + ".metrics has " + inline.size() + " metrics: at most " + Limits.METRICS);
        inline = List.of();
      }
      Set<String> known = new HashSet<>(given.keySet());
      known.addAll(BUILTINS);
      for (int i = 0; i < inline.size(); i++) {
        if (inline.get(i) == null) {
          problems.add(where + ".metrics[" + i + "] is empty: give a metric");
          continue;
        }
        metrics.add(substitute(inline.get(i), new Args(given, known, fromSecrets), false, where + ".metrics[" + i + "]",
            problems));
      }
      if (metrics.size() > Limits.METRICS_PER_ANALYSIS) {
        problems.add(where + " runs " + metrics.size() + " metrics: at most " + Limits.METRICS_PER_ANALYSIS
            + " per analysis, its templates' and its own together");
        metrics = List.of();
      }
      Set<String> names = new HashSet<>();
      Map<String, Map<String, String>> conditionArgs = new HashMap<>();
      Set<String> admin = new HashSet<>();
      for (Substituted s : metrics) {
        Metric metric = s.metric();
        if (metric.getName() != null && !names.add(metric.getName())) {
          problems.add(where + ": two metrics are named " + metric.getName() + ": metric names must be unique in an analysis");
        }
        MetricValidation.check(where + " metric " + metric.getName(), metric, s.conditionArgs(), defaultPrometheus, problems);
        if (metric.getName() != null) {
          conditionArgs.put(metric.getName(), s.conditionArgs());
          if (s.admin()) {
            admin.add(metric.getName());
          }
        }
      }
      if (metrics.isEmpty() && problems.size() == problemsBefore) {
        problems.add(where + ": has no metric to measure (its templates are empty, or it names none): an analysis "
            + "without a metric would pass on nothing");
      }
      ScoreThresholds score = analysis.getScoreThresholds() == null ? new ScoreThresholds() : analysis.getScoreThresholds();
      if (score.pass() < 0 || score.pass() > 100 || score.marginal() < 0 || score.marginal() > score.pass()) {
        problems.add(where + ": scoreThresholds is {pass: " + score.pass() + ", marginal: " + score.marginal() + "}: use 0 to "
            + "100 with marginal at most pass");
      }
      OnMetricsError onError = analysis.getOnMetricsError() == null ? OnMetricsError.Pause : analysis.getOnMetricsError();
      return new ResolvedAnalysis.Run(metrics.stream().map(Substituted::metric).toList(), onError, Map.copyOf(conditionArgs),
          Set.copyOf(admin), score);
    }

    /** The Rollout's args with their values (Secrets read), over the built-in ones. */
    private Map<String, String> givenArgs(String where, RolloutAnalysis analysis, Set<String> fromSecrets) {
      Map<String, String> given = new HashMap<>(builtins);
      List<AnalysisArg> args = Optional.ofNullable(analysis.getArgs()).orElse(List.of());
      if (args.size() > Limits.ARGS) {
        problems.add(where + ".args has " + args.size() + " args: at most " + Limits.ARGS);
        return given;
      }
      for (int i = 0; i < args.size(); i++) {
        AnalysisArg arg = args.get(i);
        String at = where + ".args[" + i + "]";
        if (arg == null || !argName(arg.getName())) {
          problems.add(at + ": " + (arg == null || arg.getName() == null ? "an arg needs a name"
              : "name " + Names.quote(arg.getName()) + " is not an arg name (letters, digits, '_', '.' and '-', at most "
                  + Limits.ARG_NAME + ")"));
        } else if (arg.getValue() != null) {
          if (arg.getValue().length() > Limits.ARG_VALUE) {
            problems.add(at + ": the value of arg " + arg.getName() + " is longer than " + Limits.ARG_VALUE + " characters");
          } else {
            given.put(arg.getName(), arg.getValue());
          }
        } else if (arg.getValueFrom() != null && arg.getValueFrom().getSecretKeyRef() != null) {
          SecretKeyRef ref = arg.getValueFrom().getSecretKeyRef();
          int before = problems.size();
          MetricValidation.secret(at, "valueFrom.secretKeyRef", ref, problems);
          if (problems.size() == before) {
            Optional<String> value;
            try {
              value = secrets.read(ref);
            } catch (MeasurementException e) {
              problems.add(at + ": " + e.getMessage());
              continue;
            }
            if (value.isPresent()) {
              given.put(arg.getName(), value.get());
              fromSecrets.add(arg.getName());
            } else {
              problems.add(at + ": Secret " + builtins.get("namespace") + "/" + ref.getName() + " has no key '" + ref.getKey()
                  + "': create it or fix the secretKeyRef");
            }
          }
        } else {
          problems.add(at + ": arg " + arg.getName() + " has neither value nor valueFrom");
        }
      }
      return given;
    }

    private List<Substituted> templateMetrics(String at, TemplateRef ref, Map<String, String> given, Set<String> fromSecrets) {
      if (ref == null || !Names.isObjectName(ref.getName(), Limits.DNS_SUBDOMAIN)) {
        problems.add(at + ": " + (ref == null || ref.getName() == null || ref.getName().isEmpty() ? "name a template"
            : "name " + Names.quote(ref.getName()) + " is not the name of an analysis template") + " (lowercase letters, "
            + "digits, '-' and '.')");
        return List.of();
      }
      Optional<AnalysisTemplateSpec> template = templates.apply(ref);
      if (template.isEmpty()) {
        problems.add(at + ": " + templateName.apply(ref) + " not found: create it or fix the name");
        return List.of();
      }
      if (template.get().getSchemaProblem() != null) {
        problems.add(at + ": " + templateName.apply(ref) + " does not fit its schema at " + template.get().getSchemaProblem()
            + ": fix the template (and install the current CRD from crds/, whose schema rejects it at apply time)");
        return List.of();
      }
      Map<String, String> values = new HashMap<>(builtins);
      Set<String> declared = new HashSet<>(BUILTINS);
      Set<String> givenByRollout = new HashSet<>();
      List<TemplateArg> args = Optional.ofNullable(template.get().getArgs()).orElse(List.of());
      for (TemplateArg arg : args) {
        if (arg == null || !argName(arg.getName())) {
          problems.add(at + ": " + templateName.apply(ref) + " declares an arg without a valid name");
          continue;
        }
        declared.add(arg.getName());
        String value = given.containsKey(arg.getName()) ? given.get(arg.getName()) : arg.getValue();
        if (given.containsKey(arg.getName()) && !BUILTINS.contains(arg.getName())) {
          givenByRollout.add(arg.getName());
        }
        if (value == null) {
          problems.add(at + ": arg '" + arg.getName() + "' of " + templateName.apply(ref) + " has no value: set it in "
              + at.replaceAll("\\.templates\\[\\d+]$", "") + ".args");
        } else {
          values.put(arg.getName(), value);
        }
      }
      List<Substituted> metrics = new ArrayList<>();
      List<Metric> templateMetrics = Optional.ofNullable(template.get().getMetrics()).orElse(List.of());
      for (int i = 0; i < templateMetrics.size(); i++) {
        Metric metric = templateMetrics.get(i);
        if (metric == null) {
          problems.add(at + ": " + templateName.apply(ref) + " has an empty metric at spec.metrics[" + i + "]");
          continue;
        }
        String where = at + " (" + templateName.apply(ref) + ") metric " + metric.getName();
        boolean admin = Boolean.TRUE.equals(ref.getClusterScope());
        if (admin) {
          adminCredentialsStayHome(where, metric, givenByRollout, problems);
        }
        metrics.add(substitute(metric, new Args(values, declared, fromSecrets), admin, where, problems));
      }
      return metrics;
    }
  }

  private static boolean argName(String name) {
    return name != null && name.length() <= Limits.ARG_NAME && name.matches("[A-Za-z0-9_.-]+");
  }

  /**
   * A copy of the metric with {{args.NAME}} filled in its provider's fields, after checking that the
   * values keep its PromQL queries' structure; its conditions keep their placeholders, whose values
   * are bound when a measurement is judged.
   */
  private static Substituted substitute(Metric metric, Args args, boolean admin, String where, List<String> problems) {
    Map<String, String> values = args.values();
    Set<String> declared = args.declared();
    ObjectNode tree = JSON.valueToTree(metric);
    JsonNode provider = tree.get("provider");
    int before = problems.size();
    if (provider != null) {
      secretsStayInHeaders(provider, "", args.fromSecrets(), where, problems);
    }
    for (String condition : new String[] {metric.getSuccessCondition(), metric.getFailureCondition()}) {
      if (condition != null) {
        ArgPlaceholders.PATTERN.matcher(condition).results().map(r -> r.group(1)).filter(args.fromSecrets()::contains)
            .distinct().forEach(name -> problems.add(secretMisplaced(where, name, "a condition")));
      }
    }
    if (problems.size() > before) {
      // A Secret's value never goes further, not even into a message.
      return new Substituted(metric, Map.of(), admin);
    }
    var prometheus = metric.getProvider() == null ? null : metric.getProvider().getPrometheus();
    if (prometheus != null) {
      for (String query : new String[] {prometheus.getQuery(), prometheus.getRequestsQuery()}) {
        if (query != null) {
          ArgPlaceholders.checkPromql(query, values, where, problems);
        }
      }
    }
    if (provider != null) {
      ArgPlaceholders.fillTree(provider, args.values(), args.declared(), args.fromSecrets(), where, problems);
    }
    Map<String, String> conditionArgs = new HashMap<>();
    for (String condition : new String[] {metric.getSuccessCondition(), metric.getFailureCondition()}) {
      if (condition == null) {
        continue;
      }
      Matcher m = ArgPlaceholders.PATTERN.matcher(condition);
      while (m.find()) {
        String name = m.group(1);
        if (values.containsKey(name)) {
          conditionArgs.put(name, values.get(name));
        } else if (!declared.contains(name)) {
          problems.add(where + ": {{args." + name + "}} names no declared or built-in arg");
        }
      }
    }
    return new Substituted(JSON.convertValue(tree, Metric.class), Map.copyOf(conditionArgs), admin);
  }

  /**
   * An arg read from a Secret may go only in a web provider's header value or body: a URL, a query
   * or a condition would carry it into requests' logs, status and Events.
   */
  private static void secretsStayInHeaders(JsonNode node, String path, Set<String> fromSecrets, String where,
      List<String> problems) {
    if (fromSecrets.isEmpty()) {
      return;
    }
    if (node.isTextual()) {
      boolean allowed = path.matches("\\.web\\.headers\\[\\d+]\\.value") || path.equals(".web.body");
      if (!allowed) {
        ArgPlaceholders.PATTERN.matcher(node.asText()).results().map(r -> r.group(1)).filter(fromSecrets::contains).distinct()
            .forEach(name -> problems.add(secretMisplaced(where, name, "provider" + path)));
      }
    } else if (node instanceof ObjectNode object) {
      object.properties().forEach(e -> secretsStayInHeaders(e.getValue(), path + "." + e.getKey(), fromSecrets, where, problems));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        secretsStayInHeaders(node.get(i), path + "[" + i + "]", fromSecrets, where, problems);
      }
    }
  }

  private static String secretMisplaced(String where, String arg, String field) {
    return where + ": arg " + arg + " comes from a Secret, and " + field + " is no place for it: a Secret's value may go only "
        + "in a web provider's header value or body, never in a URL, a query or a condition";
  }

  /**
   * A ClusterAnalysisTemplate's metric that sends credentials (a Secret in its auth, TLS or headers)
   * sends them where the admin wrote: its address or URL may take no arg the Rollout gives, or a
   * Rollout's author could have the admin's credentials sent to an address of their choosing.
   */
  private static void adminCredentialsStayHome(String where, Metric metric, Set<String> givenByRollout, List<String> problems) {
    if (metric.getProvider() == null || givenByRollout.isEmpty()) {
      return;
    }
    var p = metric.getProvider().getPrometheus();
    var w = metric.getProvider().getWeb();
    boolean credentials = (p != null && (p.getAuth() != null || p.getTls() != null))
        || (w != null && (w.getTls() != null || (w.getHeaders() != null && w.getHeaders().stream()
            .anyMatch(h -> h != null && h.getValueFrom() != null))));
    String target = p != null ? p.getAddress() : w != null ? w.getUrl() : null;
    if (!credentials || target == null) {
      return;
    }
    ArgPlaceholders.PATTERN.matcher(target).results().map(r -> r.group(1)).filter(givenByRollout::contains).distinct()
        .forEach(name -> problems.add(where + ": arg " + name + " is given by the Rollout but sets the address to which this "
            + "ClusterAnalysisTemplate's metric sends its credentials: only the template may set it"));
  }
}
