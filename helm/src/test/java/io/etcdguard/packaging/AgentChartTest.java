package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The node agent's DaemonSet: where it runs, what it is given, and when the chart ships it. */
class AgentChartTest {
  static final List<String> AGENT_KINDS =
      List.of("DaemonSet", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding");
  /** The node agent's JVM argument file in the image (operator/pom.xml writes it; the DaemonSet's command names it). */
  static final String AGENT_JAVA_ARGS = "/app/agent-java-args";
  /** The DaemonSet's command: the image's own runtime with the agent's argument file. */
  static final List<String> AGENT_COMMAND = List.of("/opt/java/bin/java", "@" + AGENT_JAVA_ARGS);

  @ParameterizedTest
  @CsvSource({"k3s, true", "rke2, true", "kubeadm, false", "none, false"})
  void thePresetDecidesWhetherTheAgentShips(String preset, boolean shipped) {
    Rendered rendered = HelmChart.renderPreset(preset);
    assertThat(rendered.ofKind("DaemonSet")).hasSize(shipped ? 1 : 0);
    assertThat(agentObjects(rendered)).extracting(Rendered.Manifest::kind)
        .as("agent objects with preset %s", preset)
        .containsExactlyInAnyOrderElementsOf(shipped ? AGENT_KINDS : List.of());
  }

  @ParameterizedTest
  @CsvSource({"k3s, false", "rke2, false", "kubeadm, true", "none, true"})
  void agentEnabledOverridesThePreset(String preset, boolean enabled) {
    Rendered rendered = HelmChart.render(HelmChart.with(Map.of("preset", preset), "agent.enabled", enabled));
    assertThat(rendered.ofKind("DaemonSet")).hasSize(enabled ? 1 : 0);
    assertThat(agentObjects(rendered)).hasSize(enabled ? AGENT_KINDS.size() : 0);
  }

  @ParameterizedTest
  @CsvSource({"k3s, node-role.kubernetes.io/etcd, true", "rke2, node-role.kubernetes.io/etcd, true",
      "kubeadm, node-role.kubernetes.io/control-plane, ''", "none, node-role.kubernetes.io/etcd, true"})
  void theAgentRunsOnTheEtcdServersAndToleratesTheirTaints(String preset, String label, String value) {
    Map<String, Object> pod = HelmChart.render(HelmChart.with(Map.of("preset", preset), "agent.enabled", true)).agentPodSpec();
    assertThat(Yaml.<Map<String, Object>>at(pod, "nodeSelector")).isEqualTo(Map.of(label, value));
    assertThat(Yaml.<List<Map<String, Object>>>at(pod, "tolerations")).extracting(t -> t.get("key"))
        .containsExactly("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master",
            "node-role.kubernetes.io/etcd", "CriticalAddonsOnly");
    assertThat(Yaml.<List<Map<String, Object>>>at(pod, "tolerations")).allSatisfy(t ->
        assertThat(t).containsEntry("operator", "Exists").doesNotContainKey("effect"));
  }

  @Test
  void extraNodeLabelsAndTolerationsAreAddedToThePresets() {
    Map<String, Object> values = HelmChart.with(Map.of("preset", "k3s"), "agent.nodeSelector", Map.of("zone", "a"));
    values = HelmChart.with(values, "agent.tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "etcd")));
    Map<String, Object> pod = HelmChart.render(values).agentPodSpec();
    assertThat(Yaml.<Map<String, Object>>at(pod, "nodeSelector"))
        .isEqualTo(Map.of("node-role.kubernetes.io/etcd", "true", "zone", "a"));
    assertThat(Yaml.<List<Map<String, Object>>>at(pod, "tolerations")).hasSize(5).last()
        .isEqualTo(Map.of("key", "dedicated", "operator", "Equal", "value", "etcd"));
  }

  @Test
  void theAgentSeesTheHostNetworkAndKnowsItsNode() {
    Rendered rendered = HelmChart.renderPreset("k3s");
    Map<String, Object> pod = rendered.agentPodSpec();
    Map<String, Object> agent = rendered.agentContainer();
    assertThat(pod).containsEntry("hostNetwork", true).containsEntry("dnsPolicy", "ClusterFirstWithHostNet")
        .containsEntry("serviceAccountName", "etcd-address-guard-agent")
        .containsEntry("automountServiceAccountToken", true);
    assertThat(Yaml.<List<String>>at(agent, "args")).containsExactly("agent", "--read-interval=30s", "--heartbeat=5m");
    // The agent's own argument file in the image (ContainerImageTest checks that the image holds it).
    assertThat(Yaml.<List<String>>at(agent, "command")).isEqualTo(AGENT_COMMAND);
    assertThat(env(agent, "NODE_NAME")).isEqualTo(Map.of("name", "NODE_NAME",
        "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName"))));
    assertThat(Yaml.<String>at(agent, "image")).isEqualTo(Yaml.at(rendered.container(), "image"));
    assertThat(agent).doesNotContainKeys("ports", "livenessProbe", "readinessProbe");
  }

  @Test
  void theJvmFlagsAndResourcesComeFromTheAgentBenchmark() {
    Map<String, Object> agent = HelmChart.renderPreset("rke2").agentContainer();
    String flags = Yaml.at(env(agent, "JAVA_TOOL_OPTIONS"), "value");
    assertThat(flags.split(" ")).contains("-Xmx24m", "-Xms8m", "-Xint", "-Xss256k", "-XX:+UseSerialGC");
    assertThat(Yaml.<Map<String, Object>>at(agent, "resources")).isEqualTo(Map.of(
        "requests", Map.of("cpu", "5m", "memory", "96Mi"), "limits", Map.of("memory", "128Mi")));
    // No CPU limit: a throttled JVM start would only be slower, and the agent is idle between reads.
    assertThat(Yaml.<Object>at(agent, "resources", "limits", "cpu")).isNull();
  }

  @Test
  void intervalsAreValues() {
    Map<String, Object> values = HelmChart.with(Map.of("preset", "k3s"), "agent.readInterval", "1m");
    values = HelmChart.with(values, "agent.heartbeat", "10m");
    assertThat(Yaml.<List<String>>at(HelmChart.render(values).agentContainer(), "args"))
        .containsExactly("agent", "--read-interval=1m", "--heartbeat=10m");
  }

  /** The operator's Deployment, Service and PodDisruptionBudget must not select agent pods, nor the reverse. */
  @ParameterizedTest
  @ValueSource(strings = {"k3s", "rke2"})
  void noSelectorOfTheOperatorMatchesAnAgentPod(String preset) {
    Rendered rendered = HelmChart.renderPreset(preset);
    Map<String, Object> agentPodLabels = Yaml.at(rendered.single("DaemonSet"), "spec", "template", "metadata", "labels");
    Map<String, Object> operatorPodLabels = Yaml.at(rendered.single("Deployment"), "spec", "template", "metadata", "labels");
    List<Map<String, Object>> operatorSelectors = List.of(
        Yaml.at(rendered.single("Deployment"), "spec", "selector", "matchLabels"),
        Yaml.at(rendered.single("Service"), "spec", "selector"),
        Yaml.at(rendered.single("PodDisruptionBudget"), "spec", "selector", "matchLabels"));
    for (Map<String, Object> selector : operatorSelectors) {
      assertThat(selects(selector, operatorPodLabels)).as("%s selects the operator", selector).isTrue();
      assertThat(selects(selector, agentPodLabels)).as("%s selects an agent pod", selector).isFalse();
    }
    Map<String, Object> agentSelector = Yaml.at(rendered.single("DaemonSet"), "spec", "selector", "matchLabels");
    assertThat(selects(agentSelector, agentPodLabels)).isTrue();
    assertThat(selects(agentSelector, operatorPodLabels)).isFalse();
  }

  @Test
  void theAgentCanUseAnExistingServiceAccount() {
    Map<String, Object> values = HelmChart.with(Map.of("preset", "k3s"), "agent.serviceAccount",
        Map.of("create", false, "name", "node-agent"));
    Rendered rendered = HelmChart.render(values);
    assertThat(rendered.agentPodSpec()).containsEntry("serviceAccountName", "node-agent");
    assertThat(rendered.ofKind("ServiceAccount")).extracting(Rendered.Manifest::name).doesNotContain("node-agent");
    assertThat(Yaml.<String>at(rendered.named("ClusterRoleBinding", "etcd-address-guard-agent"), "subjects", 0, "name"))
        .isEqualTo("node-agent");
    assertThat(HelmChart.renderError(HelmChart.with(Map.of("preset", "k3s"), "agent.serviceAccount",
        Map.of("create", false)))).contains("agent.serviceAccount.name is required");
  }

  @Test
  void theSchemaRejectsABadInterval() {
    assertThat(HelmChart.renderError(HelmChart.with(Map.of("preset", "k3s"), "agent.readInterval", "thirty seconds")))
        .contains("readInterval");
  }

  static List<Rendered.Manifest> agentObjects(Rendered rendered) {
    return rendered.manifests().stream()
        .filter(m -> "agent".equals(Yaml.at(m.object(), "metadata", "labels", "app.kubernetes.io/component")))
        .toList();
  }

  private static Map<String, Object> env(Map<String, Object> container, String name) {
    List<Map<String, Object>> env = Yaml.at(container, "env");
    return env.stream().filter(e -> name.equals(e.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + env));
  }

  private static boolean selects(Map<String, Object> matchLabels, Map<String, Object> labels) {
    return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
