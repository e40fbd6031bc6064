package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.packaging.AdmissionPolicyEvaluator.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's ValidatingAdmissionPolicy as the chart renders it, its CEL run with cel-java against admission
 * requests shaped like the API server's: the agent may write the report of the Node its token is bound to and
 * no other; a token without the node claim may write nothing; other users are not matched at all.
 */
class AgentAdmissionPolicyTest {
  static final String AGENT = "system:serviceaccount:etcd-address-guard:etcd-address-guard-agent";
  static final String NODE_NAME_CLAIM = "authentication.kubernetes.io/node-name";

  private final Rendered rendered = HelmChart.renderPreset("k3s");
  private final AdmissionPolicyEvaluator policy =
      new AdmissionPolicyEvaluator(rendered.single("ValidatingAdmissionPolicy"));

  @Test
  void everyExpressionCompiles() {
    assertThat(policy.expressions()).hasSize(8).allSatisfy(AdmissionPolicyEvaluator::compile);
  }

  @Test
  void theAgentMayCreateAndPatchItsOwnNodesReport() {
    Map<String, Object> request = request("CREATE", "losangeles", boundToken(AGENT, "losangeles"));
    assertThat(policy.evaluate(request, report("losangeles"), null)).isEqualTo(new Decision(true, List.of()));
    request = request("UPDATE", "losangeles", boundToken(AGENT, "losangeles"));
    assertThat(policy.evaluate(request, report("losangeles"), report("losangeles")).allowed()).isTrue();
  }

  @Test
  void theAgentMayNotWriteAnotherNodesReport() {
    Map<String, Object> create = request("CREATE", "newyork", boundToken(AGENT, "losangeles"));
    Decision decision = policy.evaluate(create, report("newyork"), null);
    assertThat(decision.matched()).isTrue();
    assertThat(decision.denials()).containsExactly(
        "the node agent on Node losangeles may write only the NodeAddressReport named losangeles, not newyork");

    Map<String, Object> update = request("UPDATE", "newyork", boundToken(AGENT, "losangeles"));
    assertThat(policy.evaluate(update, report("newyork"), report("newyork")).denials()).hasSize(2)
        .allSatisfy(denial -> assertThat(denial).contains("Node losangeles", "not newyork"));
  }

  @Test
  void renamingAnotherNodesReportIntoItsOwnIsRefusedToo() {
    // An update's object and oldObject share a name in practice; the policy checks both anyway.
    Map<String, Object> update = request("UPDATE", "losangeles", boundToken(AGENT, "losangeles"));
    assertThat(policy.evaluate(update, report("losangeles"), report("newyork")).denials())
        .containsExactly("the node agent on Node losangeles may change only the NodeAddressReport named losangeles, not newyork");
  }

  @Test
  void deletingIsJudgedByTheOldObject() {
    assertThat(policy.evaluate(request("DELETE", "losangeles", boundToken(AGENT, "losangeles")), null, report("losangeles"))
        .allowed()).isTrue();
    assertThat(policy.evaluate(request("DELETE", "newyork", boundToken(AGENT, "losangeles")), null, report("newyork"))
        .allowed()).isFalse();
  }

  @Test
  void aTokenWithoutTheNodeClaimMayWriteNothing() {
    // A legacy Secret-based token, or an API server that does not put the pod's Node into extra.
    Map<String, Object> legacy = userInfo(AGENT, Map.of());
    Decision decision = policy.evaluate(request("CREATE", "losangeles", legacy), report("losangeles"), null);
    assertThat(decision.matched()).isTrue();
    assertThat(decision.denials()).first().asString().contains("names no Node", NODE_NAME_CLAIM);

    Map<String, List<String>> twoNodes = new LinkedHashMap<>(boundExtra("losangeles"));
    twoNodes.put(NODE_NAME_CLAIM, List.of("losangeles", "newyork"));
    assertThat(policy.evaluate(request("CREATE", "losangeles", userInfo(AGENT, twoNodes)), report("losangeles"), null)
        .allowed()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "system:serviceaccount:etcd-address-guard:etcd-address-guard", // the operator
      "system:serviceaccount:kube-system:etcd-address-guard-agent", // same name, other namespace
      "system:serviceaccount:etcd-address-guard:etcd-address-guard-agent-other",
      "kubernetes-admin",
      "system:node:losangeles"})
  void otherUsersAreNotMatched(String username) {
    Map<String, Object> request = request("UPDATE", "newyork", boundToken(username, "losangeles"));
    assertThat(policy.evaluate(request, report("newyork"), report("newyork"))).isEqualTo(new Decision(false, List.of()));
    Map<String, Object> withoutClaim = request("CREATE", "newyork", userInfo(username, Map.of()));
    assertThat(policy.evaluate(withoutClaim, report("newyork"), null).matched()).isFalse();
  }

  @Test
  void thePolicyCoversTheReportsAndIsEnforced() {
    Map<String, Object> vap = rendered.single("ValidatingAdmissionPolicy");
    assertThat(Yaml.<String>at(vap, "spec", "failurePolicy")).isEqualTo("Fail");
    Map<String, Object> rule = Yaml.at(vap, "spec", "matchConstraints", "resourceRules", 0);
    assertThat(rule).containsEntry("apiGroups", List.of("etcdguard.io"))
        .containsEntry("operations", List.of("CREATE", "UPDATE", "DELETE"));
    assertThat(Yaml.<List<String>>at(rule, "resources")).contains("nodeaddressreports");
    Map<String, Object> binding = rendered.single("ValidatingAdmissionPolicyBinding");
    assertThat(Yaml.<String>at(binding, "spec", "policyName")).isEqualTo(Yaml.at(vap, "metadata", "name"));
    assertThat(Yaml.<List<String>>at(binding, "spec", "validationActions")).containsExactly("Deny");
    assertThat(Yaml.<Object>at(binding, "spec", "paramRef")).isNull();
  }

  @Test
  void theMatchConditionNamesTheAgentsServiceAccount() {
    Map<String, Object> values = HelmChart.with(Map.of("preset", "k3s"), "agent.serviceAccount.name", "host-reader");
    AdmissionPolicyEvaluator renamed = new AdmissionPolicyEvaluator(HelmChart.render(values).single("ValidatingAdmissionPolicy"));
    String user = "system:serviceaccount:etcd-address-guard:host-reader";
    assertThat(renamed.evaluate(request("CREATE", "newyork", boundToken(user, "losangeles")), report("newyork"), null)
        .allowed()).isFalse();
    assertThat(renamed.evaluate(request("CREATE", "newyork", boundToken(AGENT, "losangeles")), report("newyork"), null)
        .matched()).isFalse();
  }

  @Test
  void thePolicyCanBeLeftOut() {
    Rendered without = HelmChart.render(HelmChart.with(Map.of("preset", "k3s"), "agent.admissionPolicy", false));
    assertThat(without.kinds()).contains("DaemonSet")
        .doesNotContain("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
  }

  private static Map<String, Object> report(String name) {
    return Map.of("apiVersion", "etcdguard.io/v1alpha1", "kind", "NodeAddressReport",
        "metadata", Map.of("name", name, "resourceVersion", "42"),
        "spec", Map.of("nodeName", name, "source", "Netlink", "observedAt", "2026-11-30T12:00:00Z"));
  }

  /** The userInfo of a pod's bound service account token (Kubernetes 1.30+ adds the Node). */
  private static Map<String, Object> boundToken(String username, String node) {
    return userInfo(username, boundExtra(node));
  }

  private static Map<String, List<String>> boundExtra(String node) {
    return Map.of(
        "authentication.kubernetes.io/credential-id", List.of("JTI=5c1f0a0e-7b2d-4f1e-9d55-0e3f1c2b7a91"),
        NODE_NAME_CLAIM, List.of(node),
        "authentication.kubernetes.io/node-uid", List.of("9a0e3c6e-1b7f-4c2d-8e57-3f1a2b4c5d6e"),
        "authentication.kubernetes.io/pod-name", List.of("etcd-address-guard-agent-x7k2p"),
        "authentication.kubernetes.io/pod-uid", List.of("1c2d3e4f-5a6b-7c8d-9e0f-a1b2c3d4e5f6"));
  }

  private static Map<String, Object> userInfo(String username, Map<String, List<String>> extra) {
    return Map.of("username", username, "uid", "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f",
        "groups", List.of("system:serviceaccounts", "system:serviceaccounts:etcd-address-guard", "system:authenticated"),
        "extra", extra);
  }

  private static Map<String, Object> request(String operation, String name, Map<String, Object> userInfo) {
    Map<String, Object> gvk = Map.of("group", "etcdguard.io", "version", "v1alpha1", "kind", "NodeAddressReport");
    return Map.of("uid", "3b1f2c4d-0000-4000-8000-000000000001", "kind", gvk, "requestKind", gvk,
        "resource", Map.of("group", "etcdguard.io", "version", "v1alpha1", "resource", "nodeaddressreports"),
        "name", name, "operation", operation, "userInfo", userInfo, "dryRun", false,
        "options", Map.of("apiVersion", "meta.k8s.io/v1", "kind", operation.equals("CREATE") ? "CreateOptions"
            : operation.equals("DELETE") ? "DeleteOptions" : "PatchOptions"));
  }
}
