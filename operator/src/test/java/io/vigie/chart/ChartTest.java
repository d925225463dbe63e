package io.vigie.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.vigie.chart.HelmChart.Grant;
import io.vigie.chart.HelmChart.Rendered;
import io.vigie.chart.HelmChart.Triple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The Helm chart, linted and rendered by the real Helm engine for each case of the option matrix. */
class ChartTest {
  static final Map<String, Object> NAMESPACED = Map.of("watchNamespaces", List.of("shop", "web"));
  static final Map<String, Object> SERVICE_MONITOR = Map.of("metrics", Map.of("serviceMonitor",
      Map.of("enabled", true, "labels", Map.of("release", "kube-prometheus-stack"))));
  static final Map<String, Object> TWO_REPLICAS = Map.of("replicas", 2, "leaderElection", Map.of("enabled", true));
  static final Map<String, Object> TUNED = Map.of("prometheusAddress", "http://prometheus.monitoring:9090", "logFormat", "text",
      "image", Map.of("repository", "registry.example.com/vigie", "tag", "0.1.0-rc1", "pullPolicy", "Always"),
      "metrics", Map.of("port", 9102));

  static final Map<String, Object> LOCKED_DOWN = Map.of("allowedProviderHosts", List.of("prometheus.internal.example", "10.20.0.0/16"),
      "networkPolicy", Map.of("enabled", true, "apiServer", Map.of("cidrs", List.of("10.96.0.1/32"), "port", 443),
          "providerEgress", List.of(Map.of("to", List.of(Map.of("namespaceSelector", Map.of("matchLabels",
              Map.of("kubernetes.io/metadata.name", "monitoring")))), "ports", List.of(Map.of("port", 9090, "protocol", "TCP")))),
          "metricsFrom", List.of(Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name",
              "monitoring"))))));

  static final Map<String, Object> EXTRAS = Map.of(
      "extraArgs", List.of("--prometheus-address=http://prometheus.monitoring:9090"),
      "extraEnv", List.of(Map.of("name", "HTTPS_PROXY", "value", "http://proxy.internal:3128")),
      "extraVolumes", List.of(Map.of("name", "ca", "configMap", Map.of("name", "corporate-ca"))),
      "extraVolumeMounts", List.of(Map.of("name", "ca", "mountPath", "/etc/vigie/ca", "readOnly", true)),
      "topologySpreadConstraints", List.of(Map.of("maxSkew", 1, "topologyKey", "topology.kubernetes.io/zone",
          "whenUnsatisfiable", "ScheduleAnyway")),
      "metrics", Map.of("serviceMonitor", Map.of("enabled", true,
          "relabelings", List.of(Map.of("targetLabel", "cluster", "replacement", "eu-1")),
          "metricRelabelings", List.of(Map.of("sourceLabels", List.of("__name__"), "regex", "jvm_.*", "action", "drop")))));

  static final Map<String, Object> RENAMED = Map.of("nameOverride", "progressive", "fullnameOverride", "delivery");

  static Stream<Arguments> matrix() {
    return Stream.of(
        Arguments.of("defaults", Map.of()),
        Arguments.of("namespaced", NAMESPACED),
        Arguments.of("serviceMonitor", SERVICE_MONITOR),
        Arguments.of("two replicas with leader election", TWO_REPLICAS),
        Arguments.of("all at once", HelmChart.merge(HelmChart.merge(HelmChart.merge(NAMESPACED, SERVICE_MONITOR), TWO_REPLICAS), TUNED)),
        Arguments.of("prometheus, text logs, own image and port", TUNED),
        Arguments.of("locked down: provider allowlist and NetworkPolicy", LOCKED_DOWN),
        Arguments.of("extra args, env, volumes, spread, relabelings", EXTRAS),
        Arguments.of("name overrides with leader election", HelmChart.merge(RENAMED, TWO_REPLICAS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void everyCaseLintsStrictAndRendersHardenedObjectsWithoutWildcards(String name, Map<String, Object> values) {
    LintResult lint = HelmChart.lint(values);
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();

    Rendered chart = HelmChart.render(values);
    Deployment deployment = chart.deployment();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(operator.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getVolumeMounts()).filteredOn(m -> m.getName().equals("tmp"))
        .singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("tmp"))
        .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    int port = operator.getPorts().get(0).getContainerPort();
    assertThat(operator.getPorts()).singleElement().satisfies(p -> assertThat(p.getName()).isEqualTo("metrics"));
    assertThat(operator.getArgs()).startsWith("operator").contains("--metrics-port=" + port);
    assertThat(operator.getEnv()).extracting(e -> e.getName()).contains("POD_NAME", "POD_NAMESPACE");
    assertThat(pod.getServiceAccountName()).isEqualTo(chart.one(ServiceAccount.class).getMetadata().getName());

    for (Grant grant : chart.grants()) {
      assertThat(grant.rule().getVerbs()).as("%s", grant).doesNotContain("*").isNotEmpty();
      assertThat(grant.rule().getResources()).as("%s", grant).noneMatch(r -> r.contains("*")).isNotEmpty();
      assertThat(grant.rule().getApiGroups()).as("%s", grant).doesNotContain("*").isNotEmpty();
      assertThat(grant.rule().getNonResourceURLs()).as("%s", grant).isNullOrEmpty();
    }
    // Every object of the release's namespace is in it; the labels name the release.
    for (HasMetadata object : chart.objects()) {
      assertThat(object.getMetadata().getLabels()).as("%s", object.getKind())
          .containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE);
    }
    Service metrics = chart.one(Service.class);
    assertThat(metrics.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
    });
    assertThat(chart.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  /** docs/notifications.md: the default channel, a ClusterNotificationChannel whose Secrets are in the release's namespace. */
  @Test
  void theDefaultNotificationChannelIsAClusterChannelEveryRolloutTellsUnlessItOptsOut() throws Exception {
    Map<String, Object> values = Map.of("notifications", Map.of("defaultChannel", Map.of("enabled", true, "events",
        List.of("RolledBack", "Invalid", "Paused"), "slack", Map.of("urlSecretRef", Map.of("name", "vigie-slack", "key", "url")),
        "dashboardURL", "https://grafana.example/d/vigie?var-rollout={{rollout}}")));
    Rendered chart = HelmChart.render(values);
    HasMetadata channel = chart.ofKind("ClusterNotificationChannel").get(0);
    assertThat(chart.ofKind("ClusterNotificationChannel")).hasSize(1);
    String name = chart.deployment().getMetadata().getName() + "-default";
    assertThat(channel.getMetadata().getName()).isEqualTo(name);
    String yaml = io.fabric8.kubernetes.client.utils.Serialization.asYaml(channel);
    assertThat(io.vigie.api.schema.CrdSchemaValidator.forCrd(io.vigie.testkit.MockCluster.CRDS.resolve(
        "clusternotificationchannels.vigie.io-v1.yml"), "v1alpha1").validate(yaml)).as(yaml).isEmpty();
    assertThat(yaml).contains("secretsNamespace: \"" + HelmChart.NAMESPACE + "\"").contains("name: \"vigie-slack\"");
    assertThat(chart.args()).contains("--default-notification-channel=" + name,
        "--default-notification-events=RolledBack,Invalid,Paused");
    assertThat(HelmChart.render(Map.of()).ofKind("ClusterNotificationChannel")).isEmpty();

    assertThatThrownBy(() -> HelmChart.render(Map.of("notifications", Map.of("defaultChannel", Map.of("enabled", true)))))
        .hasMessageContaining("gives none of slack, teams or webhook");
    assertThatThrownBy(() -> HelmChart.render(Map.of("watchNamespaces", List.of("shop"), "notifications", values.get("notifications"))))
        .hasMessageContaining("which watchNamespaces does not list");
  }

  /** docs/security.md: job metrics come from the admin's ClusterAnalysisTemplates only, unless the admin says otherwise. */
  @Test
  void jobMetricsFromNamespacesAreTheAdminsChoice() {
    assertThat(HelmChart.render(Map.of()).args()).doesNotContain("--allow-namespaced-job-metrics");
    assertThat(HelmChart.render(Map.of("jobMetrics", Map.of("fromNamespaces", true))).args())
        .contains("--allow-namespaced-job-metrics");
  }

  /** docs/dashboard.md: the operator's read-only dashboard is off by default, and only then may the operator watch Events. */
  @Test
  void theReadOnlyDashboardIsOptInAndWidensRbacOnlyThen() {
    Rendered off = HelmChart.render(Map.of());
    assertThat(off.args()).doesNotContain("--dashboard");
    assertThat(eventVerbs(off)).containsExactly("create");
    Rendered on = HelmChart.render(Map.of("dashboard", Map.of("enabled", true)));
    assertThat(on.args()).contains("--dashboard");
    assertThat(eventVerbs(on)).containsExactly("create", "list", "watch");
    assertThatThrownBy(() -> HelmChart.render(Map.of("dashboard", Map.of("enabled", true), "watchNamespaces", List.of("a", "b"))))
        .hasMessageContaining("dashboard.enabled shows all namespaces or one, and watchNamespaces lists 2");
  }

  private static List<String> eventVerbs(Rendered chart) {
    return chart.one(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class).getRules().stream()
        .filter(r -> r.getResources().contains("events")).findFirst().orElseThrow().getVerbs();
  }

  /** docs/security.md: the admin's allowlist reaches the operator, and the NetworkPolicy lets it talk to nothing else. */
  @Test
  void theProviderAllowlistAndTheNetworkPolicyLockTheOperatorsTrafficDown() {
    Rendered chart = HelmChart.render(LOCKED_DOWN);
    assertThat(chart.args()).contains("--allowed-provider-hosts=prometheus.internal.example,10.20.0.0/16");
    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy =
        chart.one(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(chart.deployment().getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(in -> {
      assertThat(in.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
      assertThat(in.getFrom()).singleElement().satisfies(f -> assertThat(f.getNamespaceSelector().getMatchLabels())
          .containsEntry("kubernetes.io/metadata.name", "monitoring"));
    });
    assertThat(policy.getSpec().getEgress()).hasSize(3);
    assertThat(policy.getSpec().getEgress().get(0).getTo()).singleElement()
        .satisfies(t -> assertThat(t.getIpBlock().getCidr()).isEqualTo("10.96.0.1/32"));
    assertThat(policy.getSpec().getEgress().get(0).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(443));
    assertThat(policy.getSpec().getEgress().get(1).getPorts()).extracting(p -> p.getPort().getIntVal()).containsOnly(53);
    assertThat(policy.getSpec().getEgress().get(2).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9090));
    assertThat(HelmChart.render(Map.of()).ofKind("NetworkPolicy")).as("off by default").isEmpty();
    assertThatThrownBy(() -> HelmChart.render(Map.of("allowedProviderHosts", List.of("")))).hasMessageContaining("allowedProviderHosts");
  }

  @Test
  void theDefaultsRunOneOperatorForAllNamespacesWithAClusterRole() {
    Rendered chart = HelmChart.render(Map.of());
    Deployment deployment = chart.deployment();
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).as("never two operators without leader election").isEqualTo("Recreate");
    assertThat(chart.args()).containsExactly("operator", "--metrics-port=8080", "--log-format=json");
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("vigie:0.1.0");
    assertThat(operator.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(chart.all(Role.class)).isEmpty();
    assertThat(chart.all(RoleBinding.class)).isEmpty();
    assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(chart.one(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(chart.one(ServiceAccount.class).getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    });
    assertThat(triples(chart.one(ClusterRole.class).getRules().stream().map(r -> new Grant(null, "", r)).toList()))
        .contains(new Triple("get", "vigie.io", "rollouts"), new Triple("update", "vigie.io", "rollouts/status"),
            new Triple("get", "apiextensions.k8s.io", "customresourcedefinitions"),
            new Triple("get", "vigie.io", "clusteranalysistemplates"), new Triple("create", "", "events"));
    assertThat(chart.one(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void namespacedModeGrantsTheSameInARolePerNamespaceAndKeepsOnlyClusterScopedReadsInTheClusterRole() {
    Rendered namespaced = HelmChart.render(NAMESPACED);
    Rendered cluster = HelmChart.render(Map.of());
    assertThat(namespaced.args()).containsExactly("operator", "--metrics-port=8080", "--log-format=json", "--namespaces=shop,web");
    assertThat(namespaced.all(Role.class)).extracting(r -> r.getMetadata().getNamespace()).containsExactly("shop", "web");
    assertThat(namespaced.all(RoleBinding.class)).extracting(r -> r.getMetadata().getNamespace()).containsExactly("shop", "web");
    for (RoleBinding binding : namespaced.all(RoleBinding.class)) {
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getNamespace()).isEqualTo(HelmChart.NAMESPACE));
    }
    ClusterRole clusterScoped = namespaced.one(ClusterRole.class);
    assertThat(triples(clusterScoped.getRules().stream().map(r -> new Grant(null, "", r)).toList())).containsExactlyInAnyOrder(
        new Triple("get", "apiextensions.k8s.io", "customresourcedefinitions"),
        new Triple("get", "vigie.io", "clusteranalysistemplates"), new Triple("get", "vigie.io", "clusternotificationchannels"));
    assertThat(clusterScoped.getRules()).filteredOn(r -> r.getResources().contains("customresourcedefinitions"))
        .singleElement().satisfies(r -> assertThat(r.getResourceNames()).containsExactly("rollouts.vigie.io"));
    // Split differently, granted the same: each namespace's Role plus the ClusterRole is the ClusterRole of the default.
    Set<Triple> all = triples(cluster.grants());
    for (String ns : List.of("shop", "web")) {
      Set<Triple> inNamespace = triples(namespaced.grants().stream().filter(g -> g.namespace() == null || ns.equals(g.namespace())).toList());
      assertThat(inNamespace).isEqualTo(all);
    }
  }

  @Test
  void twoReplicasElectALeaderOnALeaseOfTheReleaseNamespaceAndRollWithoutDowntime() {
    Rendered chart = HelmChart.render(TWO_REPLICAS);
    Deployment deployment = chart.deployment();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(chart.args()).containsExactly("operator", "--metrics-port=8080", "--log-format=json",
        "--leader-election", "--lease-namespace=" + HelmChart.NAMESPACE, "--lease-name=vigie");
    Role lease = chart.one(Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(triples(chart.grants().stream().filter(g -> g.namespace() != null).toList())).containsExactlyInAnyOrder(
        new Triple("create", "coordination.k8s.io", "leases"), new Triple("get", "coordination.k8s.io", "leases"),
        new Triple("update", "coordination.k8s.io", "leases"), new Triple("patch", "coordination.k8s.io", "leases"));
    assertThat(lease.getRules()).filteredOn(r -> r.getVerbs().contains("get"))
        .singleElement().satisfies(r -> assertThat(r.getResourceNames()).containsExactly("vigie"));
    RoleBinding binding = chart.one(RoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
  }

  @Test
  void twoReleasesInOneNamespaceElectOnTwoLeasesAndShareNoObject() {
    Rendered a = HelmChart.render("team-a", HelmChart.merge(NAMESPACED, TWO_REPLICAS));
    Rendered b = HelmChart.render("team-b", HelmChart.merge(Map.of("watchNamespaces", List.of("pay")), TWO_REPLICAS));
    for (Rendered chart : List.of(a, b)) {
      String lease = chart.args().stream().filter(arg -> arg.startsWith("--lease-name=")).findFirst().orElseThrow()
          .substring("--lease-name=".length());
      assertThat(chart.all(Role.class)).filteredOn(r -> r.getMetadata().getName().endsWith("-leader-election"))
          .singleElement().satisfies(r -> assertThat(r.getRules()).filteredOn(rule -> rule.getVerbs().contains("get"))
              .singleElement().satisfies(rule -> assertThat(rule.getResourceNames()).containsExactly(lease)));
    }
    assertThat(a.args()).contains("--lease-name=team-a-vigie");
    assertThat(b.args()).contains("--lease-name=team-b-vigie");
    Set<String> namesOfA = a.objects().stream().filter(o -> HelmChart.NAMESPACE.equals(o.getMetadata().getNamespace())
        || o.getMetadata().getNamespace() == null).map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toSet());
    assertThat(b.objects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).doesNotContainAnyElementsOf(namesOfA);
    assertThat(a.deployment().getSpec().getSelector().getMatchLabels())
        .isNotEqualTo(b.deployment().getSpec().getSelector().getMatchLabels());
  }

  @Test
  void twoShardsOfOneClusterAreTwoReleasesWithSelectorsAndLeasesOfTheirOwn() {
    Rendered a = HelmChart.render("vigie-a", HelmChart.merge(Map.of("shardSelector", "vigie.io/shard=a"), TWO_REPLICAS));
    Rendered b = HelmChart.render("vigie-b", HelmChart.merge(Map.of("shardSelector", "vigie.io/shard!=a"), TWO_REPLICAS));
    assertThat(a.args()).contains("--shard-selector=vigie.io/shard=a", "--lease-name=vigie-a");
    assertThat(b.args()).contains("--shard-selector=vigie.io/shard!=a", "--lease-name=vigie-b");
    assertThat(HelmChart.render(Map.of()).args()).noneMatch(arg -> arg.startsWith("--shard-selector"));
  }

  @Test
  void nameOverridesRenameEveryObjectAndTheLease() {
    Rendered chart = HelmChart.render(HelmChart.merge(RENAMED, TWO_REPLICAS));
    assertThat(chart.objects()).allSatisfy(o -> assertThat(o.getMetadata().getName()).startsWith("delivery"));
    assertThat(chart.deployment().getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "progressive");
    assertThat(chart.args()).contains("--lease-name=delivery");
    Rendered nameOnly = HelmChart.render(Map.of("nameOverride", "progressive"));
    assertThat(nameOnly.deployment().getMetadata().getName()).isEqualTo("vigie-progressive");
  }

  @Test
  void extraArgsEnvVolumesSpreadAndRelabelingsReachThePodAndTheServiceMonitor() {
    Rendered chart = HelmChart.render(EXTRAS);
    PodSpec pod = chart.deployment().getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);
    assertThat(chart.args()).endsWith("--prometheus-address=http://prometheus.monitoring:9090");
    assertThat(operator.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("HTTPS_PROXY");
      assertThat(e.getValue()).isEqualTo("http://proxy.internal:3128");
    });
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("ca"))
        .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("corporate-ca"));
    assertThat(operator.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/vigie/ca");
      assertThat(m.getReadOnly()).isTrue();
    });
    assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(t -> {
      assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
      assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
      // Spread the operator's own pods: the chart fills in their labels.
      assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(chart.deployment().getSpec().getSelector().getMatchLabels());
    });
    GenericKubernetesResource monitor = (GenericKubernetesResource) chart.ofKind("ServiceMonitor").get(0);
    Map<String, Object> spec = monitor.get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertThat(endpoint.get("relabelings")).isEqualTo(List.of(Map.of("targetLabel", "cluster", "replacement", "eu-1")));
    assertThat(endpoint.get("metricRelabelings")).asString().contains("jvm_.*").contains("drop");
    assertThatThrownBy(() -> HelmChart.render(Map.of("extraArgs", List.of("operator")))).hasMessageContaining("extraArgs");
    assertThatThrownBy(() -> HelmChart.render(Map.of("extraEnv", List.of(Map.of("value", "x"))))).hasMessageContaining("extraEnv");
  }

  @Test
  void twoReplicasWithoutLeaderElectionAreRefusedWithTheReason() {
    Map<String, Object> values = Map.of("replicas", 2);
    assertThatThrownBy(() -> HelmChart.render(values))
        .hasMessageContaining("replicas is 2 but leaderElection.enabled is false")
        .hasMessageContaining("Set leaderElection.enabled=true");
    // (helm lint only logs a template's fail() as information: the render, as in helm install, is what refuses.)
  }

  @Test
  void theSchemaRefusesValuesThatCannotWork() {
    assertThatThrownBy(() -> HelmChart.render(Map.of("logFormat", "xml"))).hasMessageContaining("logFormat");
    assertThatThrownBy(() -> HelmChart.render(Map.of("watchNamespaces", List.of("Not_A_Namespace")))).hasMessageContaining("watchNamespaces");
    assertThatThrownBy(() -> HelmChart.render(Map.of("replicas", 0))).hasMessageContaining("replicas");
    assertThatThrownBy(() -> HelmChart.render(Map.of("replica", 2))).hasMessageContaining("replica");
  }

  @Test
  void theServiceMonitorScrapesTheMetricsServiceWithTheLabelsPrometheusSelects() {
    Rendered chart = HelmChart.render(SERVICE_MONITOR);
    GenericKubernetesResource monitor = (GenericKubernetesResource) chart.ofKind("ServiceMonitor").get(0);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Map<String, Object> spec = monitor.get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(chart.one(Service.class).getMetadata().getLabels()).containsAllEntriesOf(selector);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
    assertThat(endpoints).singleElement()
        .satisfies(e -> assertThat(e).containsEntry("port", "metrics").containsEntry("path", "/metrics"));
  }

  @Test
  void theNotesSayHowToCheckItAndHowToUpgradeAndUninstallSafely() {
    String cluster = HelmChart.installOutput(Map.of());
    assertThat(cluster).contains("NOTES:").contains("It drives the Rollouts of all namespaces.")
        .contains("kubectl -n vigie-system rollout status deployment/vigie")
        .contains("kubectl apply --server-side --force-conflicts -f helm/vigie/crds/")
        .contains("kubectl delete vro --all -A --wait");
    String namespaced = HelmChart.installOutput(HelmChart.merge(NAMESPACED, TWO_REPLICAS));
    assertThat(namespaced).contains("It drives the Rollouts of the namespaces shop, web.")
        .contains("2 replicas, leader election on the Lease vigie-system/vigie)");
  }

  @Test
  void theChartCrdsAreTheGeneratedOnesByteForByte() throws IOException {
    Path top = Path.of(System.getProperty("vigie.crds", "../crds"));
    Path chart = HelmChart.DIR.resolve("crds");
    List<String> names = list(top);
    assertThat(list(chart)).as("run ./scripts/update-crds: it copies crds/ into helm/vigie/crds/").isEqualTo(names).isNotEmpty();
    for (String name : names) {
      assertThat(Files.readAllBytes(chart.resolve(name))).as("%s differs from crds/: run ./scripts/update-crds", name)
          .isEqualTo(Files.readAllBytes(top.resolve(name)));
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  static Set<Triple> triples(List<Grant> grants) {
    return grants.stream().flatMap(Grant::triples).collect(Collectors.toSet());
  }
}
