package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Least privilege: exactly the verbs the operator needs, Secrets only by name. */
class RbacTest {
  static final List<String> PRESETS = HelmChart.PRESETS;
  static final String OPERATOR = "etcd-address-guard";
  static final String AGENT = "etcd-address-guard-agent";
  static final List<String> AGENT_PRESETS = List.of("k3s", "rke2");

  /**
   * The node agent's ClusterRole: what ReportPublisher does (get the report by name at start, create it,
   * JSON-patch its spec), on nodeaddressreports only. Which report is the admission policy's job.
   */
  static final List<Map<String, Object>> AGENT_RULES = List.of(
      Map.of("apiGroups", List.of("etcdguard.io"), "resources", List.of("nodeaddressreports"),
          "verbs", List.of("create", "get", "patch")));

  /** The ClusterRole, rule by rule. A new verb or resource must be added here on purpose. */
  static final List<Map<String, Object>> CLUSTER_RULES = List.of(
      Map.of("apiGroups", List.of(""), "resources", List.of("nodes"), "verbs", List.of("get", "list", "watch")),
      Map.of("apiGroups", List.of("etcdguard.io"), "resources", List.of("nodeaddresspolicies"),
          "verbs", List.of("get", "list", "watch")),
      Map.of("apiGroups", List.of("etcdguard.io"), "resources", List.of("nodeaddresspolicies/status"),
          "verbs", List.of("get", "update", "patch")),
      Map.of("apiGroups", List.of("etcdguard.io"), "resources", List.of("nodeaddressreports"),
          "verbs", List.of("get", "list", "watch")),
      Map.of("apiGroups", List.of("", "events.k8s.io"), "resources", List.of("events"), "verbs", List.of("create", "patch")));

  @ParameterizedTest
  @FieldSource("PRESETS")
  void theClusterRoleGrantsExactlyTheChecksNeeds(String preset) {
    Rendered rendered = HelmChart.renderPreset(preset);
    assertThat(Yaml.<List<Object>>at(rendered.named("ClusterRole", OPERATOR), "rules")).isEqualTo(CLUSTER_RULES);
    Map<String, Object> binding = rendered.named("ClusterRoleBinding", OPERATOR);
    assertThat(Yaml.<String>at(binding, "roleRef", "name")).isEqualTo(OPERATOR);
    assertBoundToTheOperator(binding, rendered);
  }

  @ParameterizedTest
  @FieldSource("PRESETS")
  void noRuleUsesWildcardsOrReachesSecretsClusterWide(String preset) {
    Rendered rendered = HelmChart.renderPreset(preset);
    for (String kind : List.of("ClusterRole", "Role")) {
      for (Rendered.Manifest role : rendered.ofKind(kind)) {
        List<Map<String, List<String>>> rules = Yaml.at(role.object(), "rules");
        assertThat(rules).allSatisfy(rule -> rule.values().forEach(list -> assertThat(list).doesNotContain("*")));
      }
    }
    for (Rendered.Manifest clusterRole : rendered.ofKind("ClusterRole")) {
      List<Map<String, List<String>>> clusterRules = Yaml.at(clusterRole.object(), "rules");
      assertThat(clusterRules).noneMatch(rule -> rule.get("resources").contains("secrets"));
    }
  }

  @Test
  void theLeaseRoleIsInTheReleaseNamespace() {
    Rendered rendered = HelmChart.renderPreset("k3s");
    String name = "etcd-address-guard-leader-election";
    Map<String, Object> role = rendered.named("Role", name);
    assertThat(Yaml.<String>at(role, "metadata", "namespace")).isEqualTo(HelmChart.NAMESPACE);
    assertThat(Yaml.<List<Object>>at(role, "rules")).isEqualTo(List.of(Map.of(
        "apiGroups", List.of("coordination.k8s.io"), "resources", List.of("leases"), "verbs", List.of("get", "create", "update"))));
    Map<String, Object> binding = rendered.named("RoleBinding", name);
    assertThat(Yaml.<String>at(binding, "roleRef", "name")).isEqualTo(name);
    assertBoundToTheOperator(binding, rendered);
  }

  @Test
  void theSecretIsReadableByNameOnly() {
    Rendered rendered = HelmChart.renderCi("none");
    String name = "etcd-address-guard-etcd-client-secret";
    Map<String, Object> role = rendered.named("Role", name);
    assertThat(Yaml.<String>at(role, "metadata", "namespace")).isEqualTo(HelmChart.NAMESPACE);
    assertThat(Yaml.<List<Object>>at(role, "rules")).isEqualTo(List.of(Map.of(
        "apiGroups", List.of(""), "resources", List.of("secrets"),
        "resourceNames", List.of("etcd-address-guard-etcd-client"), "verbs", List.of("get"))));
    assertBoundToTheOperator(rendered.named("RoleBinding", name), rendered);
    // The policy points at the same Secret the Role allows.
    assertThat(Yaml.<String>at(rendered.single("NodeAddressPolicy"), "spec", "etcd", "tls", "secretRef", "name"))
        .isEqualTo("etcd-address-guard-etcd-client");
  }

  @Test
  void aRenamedSecretIsTheOneAllowed() {
    Rendered rendered = HelmChart.render(HelmChart.with(HelmChart.ciValues("none"), "etcd.tls.secret.name", "etcd-healthcheck"));
    assertThat(Yaml.<List<String>>at(rendered.named("Role", "etcd-address-guard-etcd-client-secret"), "rules", 0, "resourceNames"))
        .containsExactly("etcd-healthcheck");
  }

  @Test
  void rbacCanBeLeftToTheUser() {
    Rendered rendered = HelmChart.render(Map.of("rbac", Map.of("create", false), "serviceAccount",
        Map.of("create", false, "name", "my-operator")));
    assertThat(rendered.kinds()).doesNotContain("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount");
    assertThat(rendered.podSpec().get("serviceAccountName")).isEqualTo("my-operator");
  }

  @ParameterizedTest
  @FieldSource("AGENT_PRESETS")
  void theAgentMayOnlyWriteNodeAddressReports(String preset) {
    Rendered rendered = HelmChart.renderPreset(preset);
    assertThat(Yaml.<List<Object>>at(rendered.named("ClusterRole", AGENT), "rules")).isEqualTo(AGENT_RULES);
    Map<String, Object> binding = rendered.named("ClusterRoleBinding", AGENT);
    assertThat(Yaml.<String>at(binding, "roleRef", "name")).isEqualTo(AGENT);
    String agentAccount = (String) rendered.agentPodSpec().get("serviceAccountName");
    assertThat(agentAccount).isNotEqualTo(rendered.podSpec().get("serviceAccountName"));
    assertThat(Yaml.<List<Object>>at(binding, "subjects")).isEqualTo(List.of(Map.of(
        "kind", "ServiceAccount", "name", agentAccount, "namespace", HelmChart.NAMESPACE)));
    // The agent's account is bound to nothing else, and the operator's is not bound to the agent's role.
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (Rendered.Manifest other : rendered.ofKind(kind)) {
        List<Map<String, Object>> subjects = Yaml.at(other.object(), "subjects");
        boolean bindsAgent = subjects.stream().anyMatch(s -> agentAccount.equals(s.get("name")));
        assertThat(bindsAgent).as("%s binds the agent", other.id()).isEqualTo(other.id().equals("ClusterRoleBinding/" + AGENT));
      }
    }
  }

  @Test
  void theAgentRbacFollowsRbacCreate() {
    Rendered rendered = HelmChart.render(Map.of("preset", "k3s", "rbac", Map.of("create", false)));
    assertThat(rendered.kinds()).contains("DaemonSet").doesNotContain("ClusterRole", "ClusterRoleBinding");
  }

  private static void assertBoundToTheOperator(Map<String, Object> binding, Rendered rendered) {
    assertThat(Yaml.<List<Object>>at(binding, "subjects")).isEqualTo(List.of(Map.of(
        "kind", "ServiceAccount", "name", rendered.podSpec().get("serviceAccountName"), "namespace", HelmChart.NAMESPACE)));
  }
}
