package io.vigie.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.AnalysisArg;
import io.vigie.api.v1alpha1.AnalysisTemplateSpec;
import io.vigie.api.v1alpha1.ArgValueFrom;
import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.CanaryStrategy;
import io.vigie.api.v1alpha1.Metric;
import io.vigie.api.v1alpha1.RolloutAnalysis;
import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.RolloutStrategy;
import io.vigie.api.v1alpha1.SecretKeyRef;
import io.vigie.api.v1alpha1.TemplateArg;
import io.vigie.api.v1alpha1.TemplateRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalysisResolverTest {
  private static final Map<String, String> BUILTINS = Map.of("namespace", "shop", "canary-service", "web-canary");

  private static TemplateRef ref(String name) {
    return TemplateRef.named(name);
  }

  private static AnalysisArg arg(String name, String value) {
    return AnalysisArg.of(name, value);
  }

  private static RolloutSpec withStepAnalysis(RolloutAnalysis analysis) {
    CanaryStep step = new CanaryStep();
    step.setAnalysis(analysis);
    CanaryStrategy canary = new CanaryStrategy();
    canary.setSteps(List.of(CanaryStep.weight(10), step));
    RolloutStrategy strategy = new RolloutStrategy();
    strategy.setCanary(canary);
    RolloutSpec spec = new RolloutSpec();
    spec.setStrategy(strategy);
    return spec;
  }

  private static AnalysisTemplateSpec template(String query, String... args) {
    AnalysisTemplateSpec spec = new AnalysisTemplateSpec();
    Metric metric = Metrics.prometheus("error-rate", query);
    metric.getProvider().getPrometheus().setAddress("{{args.prometheus}}");
    metric.setSuccessCondition("result <= {{args.max}}");
    spec.setMetrics(List.of(metric));
    spec.setArgs(java.util.Arrays.stream(args).map(a -> {
      TemplateArg t = new TemplateArg();
      String[] parts = a.split("=", 2);
      t.setName(parts[0]);
      t.setValue(parts.length > 1 ? parts[1] : null);
      return t;
    }).toList());
    return spec;
  }

  private static AnalysisResolver.Resolution resolve(RolloutSpec spec, Map<String, AnalysisTemplateSpec> templates,
      Map<String, String> secrets) {
    return AnalysisResolver.resolve(spec, BUILTINS, r -> Optional.ofNullable(templates.get(r.getName())),
        k -> Optional.ofNullable(secrets.get(k.getName() + "/" + k.getKey())), r -> "AnalysisTemplate shop/" + r.getName(),
        Optional.empty());
  }

  @Test
  void substitutesBuiltinsArgsAndDefaultsInQueriesAndConditions() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setTemplates(List.of(ref("errors")));
    analysis.setArgs(List.of(arg("max", "0.02")));
    AnalysisResolver.Resolution r = resolve(withStepAnalysis(analysis),
        Map.of("errors", template("rate(x{service=\"{{args.canary-service}}\"}[{{args.window}}])", "max", "window=2m",
            "prometheus=http://prom:9090")), Map.of());

    assertThat(r.problems()).isEmpty();
    Metric metric = r.analysis().steps().get(1).metrics().get(0);
    assertThat(metric.getProvider().getPrometheus().getQuery()).isEqualTo("rate(x{service=\"web-canary\"}[2m])");
    // Conditions take args as typed CEL variables, never as text: the placeholder stays, its value is bound.
    assertThat(metric.getSuccessCondition()).isEqualTo("result <= {{args.max}}");
    assertThat(r.analysis().steps().get(1).argsOf(metric)).isEqualTo(Map.of("max", "0.02"));
    assertThat(MetricRule.describe(metric, r.analysis().steps().get(1).argsOf(metric))).isEqualTo("success when result <= 0.02");
  }

  @Test
  void namesAMissingTemplateAnUnsetArgAndAMissingSecret() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setTemplates(List.of(ref("nope"), ref("errors")));
    AnalysisArg secret = new AnalysisArg();
    secret.setName("token");
    SecretKeyRef key = new SecretKeyRef();
    key.setName("prom");
    key.setKey("token");
    ArgValueFrom from = new ArgValueFrom();
    from.setSecretKeyRef(key);
    secret.setValueFrom(from);
    analysis.setArgs(List.of(secret));
    AnalysisResolver.Resolution r = resolve(withStepAnalysis(analysis), Map.of("errors", template("up", "max", "prometheus")),
        Map.of());

    assertThat(r.problems()).containsExactly(
        "spec.strategy.canary.steps[1].analysis.args[0]: Secret shop/prom has no key 'token': create it or fix the secretKeyRef",
        "spec.strategy.canary.steps[1].analysis.templates[0]: AnalysisTemplate shop/nope not found: create it or fix the name",
        "spec.strategy.canary.steps[1].analysis.templates[1]: arg 'max' of AnalysisTemplate shop/errors has no value: set it in "
            + "spec.strategy.canary.steps[1].analysis.args",
        "spec.strategy.canary.steps[1].analysis.templates[1]: arg 'prometheus' of AnalysisTemplate shop/errors has no value: "
            + "set it in spec.strategy.canary.steps[1].analysis.args");
  }

  @Test
  void aMetricWithoutAddressTakesTheOperatorsOrSaysHowToSetOne() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    Metric metric = Metrics.withMax("error-rate", 0.1);
    metric.getProvider().getPrometheus().setAddress(null);
    analysis.setMetrics(List.of(metric));
    RolloutSpec spec = withStepAnalysis(analysis);
    assertThat(resolve(spec, Map.of(), Map.of()).problems()).containsExactly(
        "spec.strategy.canary.steps[1].analysis metric error-rate: no Prometheus address: set provider.prometheus.address "
            + "or run the operator with --prometheus-address");
    AnalysisResolver.Resolution withDefault = AnalysisResolver.resolve(spec, BUILTINS, r -> Optional.empty(), k -> Optional.empty(),
        r -> r.getName(), Optional.of("http://prometheus.monitoring:9090"));
    assertThat(withDefault.problems()).isEmpty();
    assertThat(withDefault.analysis().steps().get(1).metrics().get(0).getProvider().getPrometheus().getAddress())
        .isEqualTo("http://prometheus.monitoring:9090");
  }

  @Test
  void refusesUnknownPlaceholdersBadConditionsAndDuplicateNames() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    Metric a = Metrics.withMax("error-rate", 0.1);
    a.getProvider().getPrometheus().setQuery("x{pod=\"{{args.pod}}\"}");
    Metric b = Metrics.prometheus("error-rate", "y");
    b.setSuccessCondition("result <");
    analysis.setMetrics(List.of(a, b));
    AnalysisResolver.Resolution r = resolve(withStepAnalysis(analysis), Map.of(), Map.of());

    assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("{{args.pod}} names no declared or built-in arg"))
        .anySatisfy(p -> assertThat(p).contains("two metrics are named error-rate"))
        .anySatisfy(p -> assertThat(p).contains("'result <' is not a CEL condition"));
  }

  @Test
  void aBuiltinNotKnownYetIsNoProblemBeforeAdoption() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    Metric metric = Metrics.withMax("error-rate", 0.1);
    metric.getProvider().getPrometheus().setQuery("x{pod_template_hash=\"{{args.stable-pod-template-hash}}\"}");
    analysis.setMetrics(List.of(metric));
    assertThat(resolve(withStepAnalysis(analysis), Map.of(), Map.of()).problems()).isEmpty();
  }

  @Test
  void refusesRulesThatCouldNeverFail() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    Metric empty = Metrics.withMax("a", 0.1);
    empty.getThresholdRange().setMax(null);
    Metric inverted = Metrics.withMax("b", 0.1);
    inverted.getThresholdRange().setMin(0.5);
    Metric noSamples = Metrics.withMax("c", 0.1);
    noSamples.setMinSamples(0);
    analysis.setMetrics(List.of(empty, inverted, noSamples));
    assertThat(resolve(withStepAnalysis(analysis), Map.of(), Map.of()).problems()).containsExactly(
        "spec.strategy.canary.steps[1].analysis metric a: thresholdRange has neither min nor max, so nothing could fail: give one",
        "spec.strategy.canary.steps[1].analysis metric b: thresholdRange min 0.5 is above max 0.1",
        "spec.strategy.canary.steps[1].analysis metric c: minSamples is 0: use 1 to 10000");

    RolloutAnalysis none = new RolloutAnalysis();
    none.setTemplates(List.of(ref("empty")));
    AnalysisTemplateSpec emptyTemplate = new AnalysisTemplateSpec();
    assertThat(resolve(withStepAnalysis(none), Map.of("empty", emptyTemplate), Map.of()).problems()).containsExactly(
        "spec.strategy.canary.steps[1].analysis: has no metric to measure (its templates are empty, or it names none): "
            + "an analysis without a metric would pass on nothing");
  }

  @Test
  void aCompareMetricMustNameTheSideAndStayWithinItsBounds() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    Metric blind = Metrics.prometheus("blind", "histogram_quantile(0.99, sum by (le) (rate(b[1m])))");
    blind.setCompare(new io.vigie.api.v1alpha1.CompareRule());
    Metric both = Metrics.withMax("both", 0.1);
    both.getProvider().getPrometheus().setQuery("x{role=\"{{side}}\"}");
    both.setCompare(new io.vigie.api.v1alpha1.CompareRule());
    Metric dense = Metrics.prometheus("dense", "x{role=\"{{side}}\"}");
    dense.setCompare(new io.vigie.api.v1alpha1.CompareRule());
    dense.getCompare().setWindow("1h");
    dense.getCompare().setStep("1s");
    dense.getCompare().setWeight(0);
    analysis.setMetrics(List.of(blind, both, dense));
    analysis.setScoreThresholds(new io.vigie.api.v1alpha1.ScoreThresholds(70, 90));
    assertThat(resolve(withStepAnalysis(analysis), Map.of(), Map.of()).problems()).containsExactly(
        "spec.strategy.canary.steps[1].analysis metric blind: provider.prometheus.query does not name the side: write {{side}} "
            + "where the canary's and the other side's series differ, e.g. service=\"{{args.service}}-{{side}}\" (Vigie's "
            + "Services) or role=\"{{side}}\"",
        "spec.strategy.canary.steps[1].analysis metric both: compare is a rule of its own: drop thresholdRange, "
            + "successCondition, failureCondition and errorRate",
        "spec.strategy.canary.steps[1].analysis metric dense: compare.weight is 0: use 1 to 100",
        "spec.strategy.canary.steps[1].analysis metric dense: compare.window / compare.step gives 3601 points a side, more "
            + "than 1000: widen the step",
        "spec.strategy.canary.steps[1].analysis: scoreThresholds is {pass: 70, marginal: 90}: use 0 to 100 with marginal at "
            + "most pass");
  }

  @Test
  void theBackgroundAnalysisWatchesTheWholeCanaryWhateverTheTemplatesCount() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    Metric metric = Metrics.withMax("error-rate", 0.1);
    metric.setCount(5);
    analysis.setMetrics(List.of(metric));
    RolloutSpec spec = withStepAnalysis(analysis);
    spec.setAnalysis(analysis);
    AnalysisResolver.Resolution r = resolve(spec, Map.of(), Map.of());

    assertThat(r.problems()).isEmpty();
    assertThat(r.analysis().background().orElseThrow().metrics().get(0).getCount()).isNull();
    assertThat(r.analysis().steps().get(1).metrics().get(0).getCount()).isEqualTo(5);
  }

  @Test
  void theGuardsResolveLikeAnalysesTheSurgeRateBeforeAsAMeanAndStableQueriesOnTheStableSide() {
    io.vigie.api.v1alpha1.Guards guards = new io.vigie.api.v1alpha1.Guards();
    io.vigie.api.v1alpha1.SurgeGuard surge = new io.vigie.api.v1alpha1.SurgeGuard();
    surge.setProvider(Metrics.prometheus("x", "sum(rate(requests_total{service=\"{{args.canary-service}}\"}[1m]))").getProvider());
    surge.getProvider().getPrometheus().setAddress("http://prometheus:9090");
    surge.setFactor(3.0);
    guards.setSurge(surge);
    RolloutAnalysis stable = new RolloutAnalysis();
    Metric stableErrors = Metrics.withMax("stable-errors", 0.05);
    stableErrors.getProvider().getPrometheus().setQuery("sum(rate(errors_total{role=\"{{side}}\"}[1m]))");
    stable.setMetrics(List.of(stableErrors));
    guards.setStable(stable);
    RolloutSpec spec = withStepAnalysis(stable);
    spec.setGuards(guards);

    AnalysisResolver.Resolution r = resolve(spec, Map.of(), Map.of());

    assertThat(r.problems()).isEmpty();
    ResolvedAnalysis.Guards resolved = r.analysis().guards();
    assertThat(resolved.surgeFactor()).isEqualTo(3.0);
    assertThat(resolved.surge().orElseThrow().metrics()).extracting(m -> m.getName() + " " + m.getCount() + " "
        + m.getProvider().getPrometheus().getQuery()).containsExactly(
        "traffic-before 1 avg_over_time((sum(rate(requests_total{service=\"web-canary\"}[1m])))[10m:30s])",
        "traffic null sum(rate(requests_total{service=\"web-canary\"}[1m]))");
    assertThat(r.analysis().run(GuardRuns.SURGE)).isPresent();
    assertThat(r.analysis().run(GuardRuns.STABLE).orElseThrow().metrics().get(0).getProvider().getPrometheus().getQuery())
        .isEqualTo("sum(rate(errors_total{role=\"stable\"}[1m]))");
  }

  @Test
  void aStableGuardJudgesStableAloneAndASurgeGuardNeedsAReadableProvider() {
    io.vigie.api.v1alpha1.Guards guards = new io.vigie.api.v1alpha1.Guards();
    io.vigie.api.v1alpha1.SurgeGuard surge = new io.vigie.api.v1alpha1.SurgeGuard();
    surge.setProvider(Metrics.prometheus("x", "sum(rate(requests_total[1m]))").getProvider());
    surge.getProvider().getPrometheus().setAddress(null);
    surge.setFactor(0.5);
    surge.setWindow("10s");
    guards.setSurge(surge);
    RolloutAnalysis stable = new RolloutAnalysis();
    Metric compared = Metrics.prometheus("errors", "sum(x{role=\"{{side}}\"})");
    compared.getProvider().getPrometheus().setRequestsQuery("sum(y{role=\"{{side}}\"})");
    compared.setErrorRate(new io.vigie.api.v1alpha1.SequentialErrorRate());
    stable.setMetrics(List.of(compared));
    guards.setStable(stable);
    RolloutSpec spec = withStepAnalysis(stable);
    spec.getStrategy().getCanary().getSteps().get(1).setAnalysis(null);
    spec.setGuards(guards);

    assertThat(resolve(spec, Map.of(), Map.of()).problems()).containsExactly(
        "spec.guards.surge: factor is 0.5: use 1.1 to 100",
        "spec.guards.surge: window '10s' is below the minimum 1m",
        "spec.guards.surge metric traffic: no Prometheus address: set provider.prometheus.address or run the operator with "
            + "--prometheus-address",
        "spec.guards.stable metric errors: a guard judges the stable side alone, every measurement: give it thresholdRange, "
            + "successCondition or failureCondition (no errorRate, compare or dryRun)");
  }

  private static List<String> inlineProblems(Metric... metrics) {
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setMetrics(List.of(metrics));
    return resolve(withStepAnalysis(analysis), Map.of(), Map.of()).problems();
  }

  /** Issue 13, findings 2, 5 and 14: numbers and durations past their bounds are named, zero intervals and timeouts too. */
  @Test
  void refusesNumbersAndDurationsPastTheirBounds() {
    Metric hot = Metrics.withMax("hot", 0.1);
    hot.setInterval("0s");
    Metric noWait = Metrics.withMax("no-wait", 0.1);
    noWait.getProvider().getPrometheus().setTimeout("0s");
    Metric forever = Metrics.withMax("forever", 0.1);
    forever.getProvider().getPrometheus().setTimeout("99999h");
    Metric negative = Metrics.withMax("negative", 0.1);
    negative.setFailureLimit(-1);
    Metric many = Metrics.withMax("many", 0.1);
    many.setCount(3);
    many.setMinSamples(5);
    Metric late = Metrics.withMax("late", 0.1);
    late.setInitialDelay("9999999999999h");
    assertThat(inlineProblems(hot, noWait, forever, negative, many, late)).containsExactly(
        "spec.strategy.canary.steps[1].analysis metric hot: interval '0s' is below the minimum 1s",
        "spec.strategy.canary.steps[1].analysis metric no-wait: provider.prometheus.timeout '0s' is below the minimum 1s",
        "spec.strategy.canary.steps[1].analysis metric forever: provider.prometheus.timeout '99999h' is above the maximum 1m",
        "spec.strategy.canary.steps[1].analysis metric negative: failureLimit is -1: use 0 to 10000",
        "spec.strategy.canary.steps[1].analysis metric many: minSamples 5 is above count 3, so the metric could never pass",
        "spec.strategy.canary.steps[1].analysis metric late: initialDelay '9999999999999h' is longer than any duration Vigie "
            + "accepts (see the limits in docs/operations.md)");
  }

  /** Issue 13, finding 8: args reach a condition as typed CEL variables, never as source text. */
  @Test
  void anArgIsBoundInAConditionAsATypedValueNeverAsText() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setTemplates(List.of(ref("errors")));
    analysis.setArgs(List.of(arg("max", "0.05 || true"), arg("prometheus", "http://prom:9090")));
    List<String> problems = resolve(withStepAnalysis(analysis), Map.of("errors", template("up", "max", "prometheus")), Map.of())
        .problems();
    assertThat(problems).containsExactly("spec.strategy.canary.steps[1].analysis metric error-rate: successCondition "
        + "'result <= {{args.max}}' is not a CEL condition over result with max = '0.05 || true' (a string): ERROR: "
        + "<input>:1:8: found no matching overload for '_<=_' applied to '(double, string)'");
  }

  /** Issue 13, finding 7: a self-referencing arg and a value that would change a PromQL query are refused. */
  @Test
  void argValuesAreUsedAsTheyAreAndCannotChangeAQuery() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setTemplates(List.of(ref("errors")));
    analysis.setArgs(List.of(arg("max", "0.05"), arg("prometheus", "{{args.prometheus}}"),
        arg("service", "web\"} or vector(0) #"), arg("window", "5m]) or vector(0")));
    List<String> problems = resolve(withStepAnalysis(analysis), Map.of("errors",
        template("rate(x{service=\"{{args.service}}\"}[{{args.window}}])", "max", "prometheus", "service", "window")),
        Map.of()).problems();
    String where = "spec.strategy.canary.steps[1].analysis.templates[0] (AnalysisTemplate shop/errors) metric error-rate: ";
    assertThat(problems).containsExactly(
        where + "arg service is 'web\"} or vector(0) #', placed in a quoted string of the query, where it may hold no quote, "
            + "backslash or line break: a value must not change the query",
        where + "arg window is '5m]) or vector(0', placed outside quotes in the query, where only a name, a number or a "
            + "duration (e.g. 5m) may go: a value must not change the query",
        where + "arg prometheus is '{{args.prometheus}}', which holds a placeholder: an arg's value is used as it is, never "
            + "expanded again; give the value itself");
  }

  @Test
  void aTemplateReferenceOrArgThatIsNoNameIsNamedBeforeAnyLookup() {
    RolloutAnalysis analysis = new RolloutAnalysis();
    analysis.setTemplates(java.util.Arrays.asList(ref(""), null, ref("x".repeat(300))));
    analysis.setArgs(java.util.Arrays.asList(arg("a b", "1"), null));
    List<String> looked = new java.util.ArrayList<>();
    AnalysisResolver.Resolution r = AnalysisResolver.resolve(withStepAnalysis(analysis), BUILTINS,
        t -> { looked.add(t.getName()); return Optional.empty(); }, s -> Optional.empty(),
        t -> "AnalysisTemplate shop/" + t.getName(), Optional.empty());
    assertThat(looked).isEmpty();
    assertThat(r.problems()).containsExactly(
        "spec.strategy.canary.steps[1].analysis.args[0]: name 'a b' is not an arg name (letters, digits, '_', '.' and '-', at "
            + "most 63)",
        "spec.strategy.canary.steps[1].analysis.args[1]: an arg needs a name",
        "spec.strategy.canary.steps[1].analysis.templates[0]: name a template (lowercase letters, digits, '-' and '.')",
        "spec.strategy.canary.steps[1].analysis.templates[1]: name a template (lowercase letters, digits, '-' and '.')",
        "spec.strategy.canary.steps[1].analysis.templates[2]: name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (300 "
            + "characters) is not the name of an analysis template (lowercase letters, digits, '-' and '.')");
  }

  /** docs/security.md, threat 3: a Rollout runs at most 100 metrics, all its analyses together. */
  @Test
  void aRolloutRunsAtMostAHundredMetrics() {
    List<CanaryStep> steps = new java.util.ArrayList<>();
    for (int s = 0; s < 6; s++) {
      RolloutAnalysis analysis = new RolloutAnalysis();
      List<Metric> metrics = new java.util.ArrayList<>();
      for (int m = 0; m < 20; m++) {
        metrics.add(Metrics.withMax("m" + m, 0.1));
      }
      analysis.setMetrics(metrics);
      CanaryStep step = new CanaryStep();
      step.setAnalysis(analysis);
      steps.add(step);
    }
    RolloutSpec spec = withStepAnalysis(new RolloutAnalysis());
    spec.getStrategy().getCanary().setSteps(steps);
    assertThat(resolve(spec, Map.of(), Map.of()).problems())
        .containsExactly("the analyses of this Rollout run 120 metrics: at most 100, all analyses together");
  }
}
