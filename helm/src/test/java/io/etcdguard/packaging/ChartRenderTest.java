package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/** helm template for every preset and switch: what the operator gets to run with. */
class ChartRenderTest {
  static final List<String> PRESETS = HelmChart.PRESETS;
  static final String CERT_DIR = "/etc/etcd-address-guard/etcd-client/";

  static final java.util.Set<String> CLUSTER_SCOPED = java.util.Set.of("ClusterRole", "ClusterRoleBinding",
      "NodeAddressPolicy", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");

  @ParameterizedTest
  @FieldSource("PRESETS")
  void everyPresetRendersTheOperator(String preset) {
    Rendered rendered = HelmChart.renderPreset(preset);
    assertThat(rendered.kinds()).contains("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
        "RoleBinding", "Service", "Deployment", "PodDisruptionBudget");
    assertThat(rendered.kinds()).doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap");
    assertThat(rendered.manifests()).filteredOn(m -> !CLUSTER_SCOPED.contains(m.kind()))
        .allSatisfy(m -> assertThat(m.namespace()).as(m.id()).isEqualTo(HelmChart.NAMESPACE));
  }

  @Test
  void twoReplicasWithLeaderElectionByDefault() {
    Rendered rendered = HelmChart.renderPreset("k3s");
    assertThat(Yaml.<Integer>at(rendered.single("Deployment"), "spec", "replicas")).isEqualTo(2);
    assertThat(Yaml.<List<String>>at(rendered.container(), "args")).containsExactly(
        "operator", "--metrics-port=8080", "--leader-election=true",
        "--leader-election-namespace=" + HelmChart.NAMESPACE, "--log-level=info");
    assertThat(Yaml.<Integer>at(rendered.single("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
    // No surge pod: with hostNetwork it could not be scheduled next to the old ones and the rollout would stall.
    assertThat(Yaml.<Map<String, Object>>at(rendered.single("Deployment"), "spec", "strategy", "rollingUpdate"))
        .isEqualTo(Map.of("maxSurge", 0, "maxUnavailable", 1));
  }

  @Test
  void oneReplicaCanRunWithoutLeaderElection() {
    Rendered rendered = HelmChart.render(Map.of("preset", "k3s", "replicaCount", 1,
        "leaderElection", Map.of("enabled", false), "logLevel", "debug", "metrics", Map.of("port", 9402)));
    assertThat(Yaml.<Integer>at(rendered.single("Deployment"), "spec", "replicas")).isEqualTo(1);
    assertThat(Yaml.<List<String>>at(rendered.container(), "args")).containsExactly(
        "operator", "--metrics-port=9402", "--leader-election=false",
        "--leader-election-namespace=" + HelmChart.NAMESPACE, "--log-level=debug");
    assertThat(Yaml.<Integer>at(rendered.container(), "ports", 0, "containerPort")).isEqualTo(9402);
    assertThat(rendered.ofKind("Role")).extracting(Rendered.Manifest::name)
        .noneMatch(name -> name.endsWith("leader-election"));
  }

  @Test
  void severalReplicasWithoutLeaderElectionAreRefused() {
    assertThat(HelmChart.renderError(Map.of("replicaCount", 2, "leaderElection", Map.of("enabled", false))))
        .contains("replicaCount > 1 needs leaderElection.enabled=true");
  }

  static Stream<Arguments> hostPresets() {
    return Stream.of(
        Arguments.of("k3s", Map.of("node-role.kubernetes.io/etcd", "true"),
            "/var/lib/rancher/k3s/server/tls/etcd/", List.of("server-ca.crt", "client.crt", "client.key"),
            Map.of("matchLabels", Map.of("node-role.kubernetes.io/etcd", "true"))),
        Arguments.of("rke2", Map.of("node-role.kubernetes.io/etcd", "true"),
            "/var/lib/rancher/rke2/server/tls/etcd/", List.of("server-ca.crt", "client.crt", "client.key"),
            Map.of("matchLabels", Map.of("node-role.kubernetes.io/etcd", "true"))),
        Arguments.of("kubeadm", Map.of("node-role.kubernetes.io/control-plane", ""),
            "/etc/kubernetes/pki/etcd/", List.of("ca.crt", "healthcheck-client.crt", "healthcheck-client.key"),
            Map.of("matchExpressions", List.of(Map.of("key", "node-role.kubernetes.io/control-plane", "operator", "Exists")))));
  }

  @ParameterizedTest
  @MethodSource("hostPresets")
  void presetsRunOnTheEtcdServersAndReadTheirCertificates(String preset, Map<String, String> podNodeSelector,
      String hostDir, List<String> hostFiles, Map<String, Object> policyNodeSelector) {
    Rendered rendered = HelmChart.renderPreset(preset);
    Map<String, Object> pod = rendered.podSpec();
    assertThat(pod.get("hostNetwork")).isEqualTo(true);
    assertThat(pod.get("dnsPolicy")).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.get("nodeSelector")).isEqualTo(podNodeSelector);
    assertThat(Yaml.<List<Map<String, Object>>>at(pod, "tolerations")).extracting(t -> t.get("key"))
        .contains("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/etcd", "CriticalAddonsOnly");

    List<Map<String, Object>> hostVolumes = Yaml.<List<Map<String, Object>>>at(pod, "volumes").stream()
        .filter(v -> v.containsKey("hostPath")).toList();
    assertThat(hostVolumes).extracting(v -> Yaml.<String>at(v, "hostPath", "path"))
        .containsExactly(hostFiles.stream().map(f -> hostDir + f).toArray(String[]::new));
    // The init container copies the host files into the directory the operator reads and the policy names.
    Map<String, Object> init = rendered.initContainers().get(0);
    assertThat(Yaml.<List<String>>at(init, "args")).containsExactly("copy-certs",
        "--cacert=/etc/etcd-address-guard/host/ca.crt", "--cert=/etc/etcd-address-guard/host/tls.crt",
        "--key=/etc/etcd-address-guard/host/tls.key", "--to=" + CERT_DIR.substring(0, CERT_DIR.length() - 1),
        "--group=65532");
    assertThat(Yaml.<List<Map<String, Object>>>at(rendered.container(), "volumeMounts"))
        .filteredOn(m -> m.get("name").equals("etcd-client-copy")).singleElement()
        .satisfies(m -> assertThat(m.get("mountPath") + "/").isEqualTo(CERT_DIR));

    Map<String, Object> policy = rendered.single("NodeAddressPolicy");
    assertThat(Yaml.<List<String>>at(policy, "spec", "etcd", "endpoints")).containsExactly("https://127.0.0.1:2379");
    assertThat(Yaml.<Map<String, Object>>at(policy, "spec", "etcd", "tls")).isEqualTo(Map.of(
        "caFile", CERT_DIR + "ca.crt", "certFile", CERT_DIR + "tls.crt", "keyFile", CERT_DIR + "tls.key"));
    assertThat(Yaml.<Object>at(policy, "spec", "nodeSelector")).isEqualTo(policyNodeSelector);
    // No Secret is read in this mode, so no Role grants one.
    assertThat(rendered.ofKind("Role")).extracting(Rendered.Manifest::name)
        .noneMatch(name -> name.endsWith("etcd-client-secret"));
  }

  @Test
  void withoutAPresetEtcdIsReachedOverTheNetworkWithTheSecret() {
    Rendered rendered = HelmChart.renderCi("none");
    Map<String, Object> pod = rendered.podSpec();
    assertThat(pod).doesNotContainKeys("hostNetwork", "nodeSelector", "tolerations");
    assertThat(Yaml.<List<Map<String, Object>>>at(pod, "volumes")).noneMatch(v -> v.containsKey("hostPath"));

    Map<String, Object> policy = rendered.single("NodeAddressPolicy");
    assertThat(Yaml.<List<String>>at(policy, "spec", "etcd", "endpoints"))
        .containsExactly("https://10.0.0.11:2379", "https://10.0.0.12:2379", "https://10.0.0.13:2379");
    assertThat(Yaml.<Object>at(policy, "spec", "etcd", "tls")).isEqualTo(Map.of("secretRef",
        Map.of("name", "etcd-address-guard-etcd-client", "namespace", HelmChart.NAMESPACE)));
    assertThat(Yaml.<String>at(policy, "spec", "addressFamily")).isEqualTo("IPv4");
    assertThat(Yaml.<List<String>>at(policy, "spec", "allowedCIDRs")).containsExactly("10.0.0.0/24");
    assertThat(Yaml.<String>at(policy, "spec", "checkInterval")).isEqualTo("30s");
    // The operator's own default applies: node-role.kubernetes.io/etcd=true.
    assertThat(Yaml.<Object>at(policy, "spec", "nodeSelector")).isNull();
  }

  @Test
  void withoutAPresetOrEndpointsNoPolicyIsCreatedAndTheNotesSaySo() {
    assertThat(HelmChart.render(Map.of()).has("NodeAddressPolicy")).isFalse();
    assertThat(HelmChart.installNotes(Map.of()))
        .contains("No NodeAddressPolicy was created: preset none needs etcd.endpoints")
        .contains("kubectl get nap");
  }

  @Test
  void theNotesTellTheNextCommand() {
    assertThat(HelmChart.installNotes(Map.of("preset", "k3s")))
        .contains("kubectl get nap\n")
        .contains("kubectl get nap etcd-address-guard -o yaml")
        .contains("kubectl label namespace etcd-address-guard pod-security.kubernetes.io/enforce=privileged");
    assertThat(HelmChart.installNotes(HelmChart.ciValues("none")))
        .contains("kubectl get nap\n")
        .contains("kubectl -n etcd-address-guard create secret generic etcd-address-guard-etcd-client")
        .contains("--from-file=ca.crt=<etcd CA> --from-file=tls.crt=<client certificate> --from-file=tls.key=<client key>");
  }

  @Test
  void aPresetCanTakeTheSecretInstead() {
    Rendered rendered = HelmChart.render(HelmChart.with(Map.of("preset", "rke2"), "etcd.tls.source", "secret"));
    assertThat(rendered.podSpec().get("hostNetwork")).isEqualTo(true);
    assertThat(Yaml.<List<Map<String, Object>>>at(rendered.podSpec(), "volumes")).noneMatch(v -> v.containsKey("hostPath"));
    assertThat(Yaml.<Object>at(rendered.single("NodeAddressPolicy"), "spec", "etcd", "tls", "secretRef", "name"))
        .isEqualTo("etcd-address-guard-etcd-client");
  }

  @Test
  void plainHttpNeedsNoCertificate() {
    Map<String, Object> values = HelmChart.with(Map.of("etcd", Map.of("endpoints", List.of("http://10.0.0.11:2379"))),
        "etcd.tls.source", "none");
    Rendered rendered = HelmChart.render(values);
    assertThat(Yaml.<Map<String, Object>>at(rendered.single("NodeAddressPolicy"), "spec", "etcd"))
        .doesNotContainKey("tls").containsEntry("endpoints", List.of("http://10.0.0.11:2379"));
    assertThat(Yaml.<List<Map<String, Object>>>at(rendered.podSpec(), "volumes")).noneMatch(v -> v.containsKey("hostPath"));
    assertThat(rendered.ofKind("Role")).extracting(Rendered.Manifest::name).noneMatch(n -> n.endsWith("etcd-client-secret"));
  }

  @Test
  void hostPathWithoutAPresetNeedsTheFiles() {
    Map<String, Object> values = HelmChart.with(Map.of("etcd", Map.of("endpoints", List.of("https://127.0.0.1:2379"))),
        "etcd.tls.source", "hostPath");
    assertThat(HelmChart.renderError(values)).contains("etcd.tls.source=hostPath needs etcd.tls.hostPath.");

    values = HelmChart.with(values, "etcd.tls.hostPath", Map.of("caFile", "/srv/etcd/ca.pem",
        "certFile", "/srv/etcd/client.pem", "keyFile", "/srv/etcd/client-key.pem"));
    values = HelmChart.with(values, "hostNetwork", true);
    Rendered rendered = HelmChart.render(values);
    assertThat(Yaml.<List<Map<String, Object>>>at(rendered.podSpec(), "volumes")).filteredOn(v -> v.containsKey("hostPath"))
        .extracting(v -> Yaml.<String>at(v, "hostPath", "path"))
        .containsExactly("/srv/etcd/ca.pem", "/srv/etcd/client.pem", "/srv/etcd/client-key.pem");
    assertThat(rendered.podSpec().get("hostNetwork")).isEqualTo(true);
  }

  @Test
  void userSchedulingAddsToThePresets() {
    Map<String, Object> values = Map.of("preset", "kubeadm",
        "nodeSelector", Map.of("kubernetes.io/os", "linux"),
        "tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "etcd", "effect", "NoSchedule")),
        "hostNetwork", false);
    Map<String, Object> pod = HelmChart.render(values).podSpec();
    assertThat(pod.get("nodeSelector")).isEqualTo(Map.of("node-role.kubernetes.io/control-plane", "", "kubernetes.io/os", "linux"));
    assertThat(Yaml.<List<Map<String, Object>>>at(pod, "tolerations")).extracting(t -> t.get("key"))
        .containsExactly("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master",
            "node-role.kubernetes.io/etcd", "CriticalAddonsOnly", "dedicated");
    assertThat(pod).doesNotContainKey("hostNetwork");
  }

  @Test
  void imageTagDefaultsToTheAppVersionAndADigestWins() {
    assertThat(HelmChart.renderPreset("none").container().get("image"))
        .isEqualTo("ghcr.io/etcd-address-guard/etcd-address-guard:0.1.0");
    String digest = "sha256:" + "ab".repeat(32);
    assertThat(HelmChart.render(Map.of("image", Map.of("tag", "0.2.0", "digest", digest))).container().get("image"))
        .isEqualTo("ghcr.io/etcd-address-guard/etcd-address-guard@" + digest);
  }

  @Test
  void theSchemaRejectsUnknownAndMisspeltValues() {
    assertThat(HelmChart.renderError(Map.of("replicas", 2))).contains("replicas");
    assertThat(HelmChart.renderError(Map.of("preset", "talos"))).contains("preset");
    assertThat(HelmChart.renderError(Map.of("etcd", Map.of("endpoints", List.of("127.0.0.1:2379"))))).contains("endpoints");
    assertThat(HelmChart.renderError(Map.of("policy", Map.of("checkInterval", "30")))).contains("checkInterval");
    assertThat(HelmChart.renderError(Map.of("metrics", Map.of("serviceMonitor", Map.of("enable", true))))).contains("enable");
  }

  @Test
  void theMonitoringSwitchesAreOffByDefault() {
    assertThat(HelmChart.renderPreset("k3s").kinds()).doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap");
  }

  @Test
  void theServiceMonitorScrapesTheMetricsPortUnderTheAlertsJobName() {
    Rendered rendered = HelmChart.renderCi("monitoring");
    Map<String, Object> service = rendered.single("Service");
    Map<String, Object> monitor = rendered.single("ServiceMonitor");
    String jobLabel = Yaml.at(monitor, "spec", "jobLabel");
    assertThat(Yaml.<String>at(service, "metadata", "labels", jobLabel)).isEqualTo("etcd-address-guard");
    assertThat(Yaml.<Map<String, String>>at(monitor, "spec", "selector", "matchLabels"))
        .isEqualTo(Yaml.at(service, "spec", "selector"))
        .allSatisfy((key, value) -> assertThat(Yaml.<String>at(service, "metadata", "labels", key)).isEqualTo(value));
    assertThat(Yaml.<String>at(monitor, "spec", "endpoints", 0, "port")).isEqualTo(Yaml.at(service, "spec", "ports", 0, "name"));
    assertThat(Yaml.<String>at(monitor, "spec", "endpoints", 0, "path")).isEqualTo("/metrics");
    assertThat(Yaml.<String>at(monitor, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
  }

  @Test
  void thePrometheusRuleIsTheAlertsFile() {
    Map<String, Object> rule = HelmChart.renderCi("monitoring").single("PrometheusRule");
    assertThat(rule.get("spec")).isEqualTo(Yaml.map(ProjectFiles.read(ProjectFiles.alertsFile())));
    assertThat(Yaml.<String>at(rule, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
  }

  @Test
  void theJobNameAndRunbookBaseReachTheRules() {
    Map<String, Object> values = Map.of(
        "metrics", Map.of("jobName", "etcd-guard"),
        "prometheusRule", Map.of("enabled", true, "runbookBaseURL", "https://runbooks.example.org/etcd/"));
    Rendered rendered = HelmChart.render(values);
    String rules = Yaml.write(rendered.single("PrometheusRule").get("spec"));
    assertThat(rules).contains("job=\\\"etcd-guard\\\"").doesNotContain("job=\\\"etcd-address-guard\\\"")
        .contains("https://runbooks.example.org/etcd/EtcdMemberTemporaryIPv6PeerURL.md")
        .doesNotContain("https://github.com/etcd-address-guard/etcd-address-guard/blob/main/docs/runbooks/");
    assertThat(Yaml.<String>at(rendered.single("Service"), "metadata", "labels", "etcdguard.io/metrics-job")).isEqualTo("etcd-guard");
  }

  @Test
  void theDashboardConfigMapIsLabelledForTheGrafanaSidecar() {
    Map<String, Object> configMap = HelmChart.renderCi("monitoring").single("ConfigMap");
    assertThat(Yaml.<String>at(configMap, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
    assertThat(Yaml.<String>at(configMap, "metadata", "annotations", "grafana_folder")).isEqualTo("etcd");
    assertThat(Yaml.jsonMap(Yaml.<String>at(configMap, "data", "etcdguard-dashboard.json")))
        .isEqualTo(Yaml.jsonMap(ProjectFiles.read(ProjectFiles.dashboardFile())));
  }

  @Test
  void thePodDisruptionBudgetCanBeSwitchedOff() {
    assertThat(HelmChart.render(Map.of("podDisruptionBudget", Map.of("enabled", false))).has("PodDisruptionBudget")).isFalse();
  }
}
