package io.etcdguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelValidationResult;
import io.etcdguard.api.v1alpha1.CelRules.CelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code x-kubernetes-validations} rule of the generated CRD, run with cel-java on values that must pass
 * and values that must fail (no API server here: docs/development.md). A rule found in the CRD that is neither
 * in {@link #ruleVerdicts()} nor in {@link #DECLARED_ONLY} fails {@link #everyRuleIsEvaluatedOrDeclaredOnly()},
 * so a new rule cannot go untested.
 */
class CrdCelRulesTest {

  /** A rule that calls a Kubernetes-only CEL function: it is checked to be well-formed, but not run. */
  record DeclaredOnly(String path, String messageFragment, String kubernetesFunction) {}

  static final List<DeclaredOnly> DECLARED_ONLY = List.of(
      new DeclaredOnly("spec.allowedCIDRs", "every entry must be a CIDR", "isCIDR"));

  static Stream<Arguments> ruleVerdicts() {
    return Stream.of(
        // path of the field, its value as YAML (self), messages (fragments) of the rules there that must fail;
        // every other rule at that path must pass.
        verdict("spec.etcd.tls", "{secretRef: {name: etcd-client, namespace: kube-system}}"),
        verdict("spec.etcd.tls", "{caFile: /etc/etcd/ca.crt}"),
        verdict("spec.etcd.tls", "{caFile: /etc/etcd/ca.crt, certFile: /etc/etcd/client.crt, keyFile: /etc/etcd/client.key}"),
        verdict("spec.etcd.tls", "{secretRef: {name: etcd-client, namespace: kube-system}, caFile: /etc/etcd/ca.crt}",
            "not both"),
        verdict("spec.etcd.tls", "{secretRef: {name: etcd-client, namespace: kube-system}, certFile: /c.crt, keyFile: /c.key}",
            "not both"),
        verdict("spec.etcd.tls", "{secretRef: {name: etcd-client, namespace: kube-system}, keyFile: /c.key}",
            "not both", "go together"),
        verdict("spec.etcd.tls", "{caFile: /etc/etcd/ca.crt, certFile: /etc/etcd/client.crt}", "go together"),
        verdict("spec.etcd.tls", "{caFile: /etc/etcd/ca.crt, keyFile: /etc/etcd/client.key}", "go together"),
        verdict("spec.etcd.tls", "{certFile: /etc/etcd/client.crt, keyFile: /etc/etcd/client.key}", "set secretRef, or caFile"),
        verdict("spec.etcd.tls", "{}", "set secretRef, or caFile"),

        verdict("spec.checkInterval", "5s"),
        verdict("spec.checkInterval", "30s"),
        verdict("spec.checkInterval", "1m"),
        verdict("spec.checkInterval", "1m30s"),
        verdict("spec.checkInterval", "2s", "at least 5s"),
        verdict("spec.checkInterval", "4999ms", "at least 5s"),
        verdict("spec.checkInterval", "500ms", "at least 5s"),

        verdict("spec.etcd.dialTimeout", "5s"),
        verdict("spec.etcd.dialTimeout", "60s"),
        verdict("spec.etcd.dialTimeout", "1m"),
        verdict("spec.etcd.dialTimeout", "90s", "at most 60s"),
        verdict("spec.etcd.dialTimeout", "1m1s", "at most 60s"),
        verdict("spec.etcd.dialTimeout", "1h", "at most 60s"),

        verdict("spec.etcd.endpoints", "[https://127.0.0.1:2379]"),
        verdict("spec.etcd.endpoints", "['http://[fd00::1]:2379']"),
        verdict("spec.etcd.endpoints", "['https://[2001:db8::10]:2379', https://etcd-0.etcd.kube-system.svc:2379/]"),
        verdict("spec.etcd.endpoints", "[https://10.0.0.1:2379, https://10.0.0.2:2379, http://etcd.test]"),
        verdict("spec.etcd.endpoints", "[ftp://x]", "every endpoint must be a URL"),
        verdict("spec.etcd.endpoints", "[https://10.0.0.1:2379, 10.0.0.2:2379]", "every endpoint must be a URL"),
        verdict("spec.etcd.endpoints", "[https://10.0.0.1:2379/v3/kv]", "every endpoint must be a URL"),
        verdict("spec.etcd.endpoints", "['https://fd00::1:2379']", "every endpoint must be a URL"),
        verdict("spec.etcd.endpoints", "[https://user@10.0.0.1:2379]", "every endpoint must be a URL"),
        verdict("spec.etcd.endpoints", "[http://127.0.0.1:65535, 'https://[fd00::1]:1/']"),
        verdict("spec.etcd.endpoints", "[http://127.0.0.1:99999]", "a port must be 1-65535"),
        verdict("spec.etcd.endpoints", "[https://10.0.0.1:2379, 'https://[fd00::1]:65536']", "a port must be 1-65535"),
        verdict("spec.etcd.endpoints", "[https://10.0.0.1:0]", "a port must be 1-65535"));
  }

  private static Arguments verdict(String path, String selfYaml, String... failingMessageFragments) {
    return Arguments.of(path, selfYaml, List.of(failingMessageFragments));
  }

  private static List<CelRule> allRules() {
    return CelRules.allIn(CrdFixtures.openApiV3Schema());
  }

  private static List<CelRule> evaluatedRules() {
    return allRules().stream().filter(rule -> declaredOnlyEntryFor(rule) == null).toList();
  }

  private static DeclaredOnly declaredOnlyEntryFor(CelRule rule) {
    return DECLARED_ONLY.stream()
        .filter(entry -> entry.path().equals(rule.path()) && rule.message().contains(entry.messageFragment()))
        .findFirst().orElse(null);
  }

  @Test
  void crdHasRules() {
    // Guards the walk: if it found nothing, every other test here would pass vacuously.
    assertThat(allRules()).extracting(CelRule::path)
        .contains("spec.etcd.tls", "spec.etcd.endpoints", "spec.etcd.dialTimeout", "spec.checkInterval");
  }

  @Test
  void everyRuleIsEvaluatedOrDeclaredOnly() {
    List<Arguments> table = ruleVerdicts().toList();
    List<String> untested = new ArrayList<>();
    for (CelRule rule : evaluatedRules()) {
      boolean mustFailSomewhere = table.stream().anyMatch(row -> covers(row, rule, true));
      boolean mustPassSomewhere = table.stream().anyMatch(row -> covers(row, rule, false));
      if (!mustFailSomewhere || !mustPassSomewhere) {
        untested.add(rule + " (message: " + rule.message() + ")" + (mustFailSomewhere ? "" : " has no failing value;")
            + (mustPassSomewhere ? "" : " has no passing value;"));
      }
    }
    assertThat(untested)
        .as("CRD rules without both a passing and a failing value in ruleVerdicts(); add rows there, or list the "
            + "rule in DECLARED_ONLY if it needs a Kubernetes-only CEL function")
        .isEmpty();
  }

  /** Whether a table row runs the rule and expects it to fail (or to pass). */
  @SuppressWarnings("unchecked")
  private static boolean covers(Arguments row, CelRule rule, boolean expectFailure) {
    Object[] values = row.get();
    if (!values[0].equals(rule.path())) {
      return false;
    }
    boolean expectedToFail = ((List<String>) values[2]).stream().anyMatch(rule.message()::contains);
    return expectedToFail == expectFailure;
  }

  @ParameterizedTest(name = "{0} = {1} breaks {2}")
  @MethodSource("ruleVerdicts")
  void ruleVerdict(String path, String selfYaml, List<String> failingMessageFragments) {
    List<CelRule> rulesHere = evaluatedRules().stream().filter(rule -> rule.path().equals(path)).toList();
    assertThat(rulesHere).as("evaluated rules at %s", path).isNotEmpty();
    for (String fragment : failingMessageFragments) {
      assertThat(rulesHere).as("rules at %s whose message contains '%s'", path, fragment)
          .filteredOn(rule -> rule.message().contains(fragment)).hasSize(1);
    }
    JsonNode self = CrdFixtures.yaml(selfYaml);

    List<String> failedMessages = rulesHere.stream()
        .filter(rule -> !CelRules.evaluate(rule, self))
        .map(CelRule::message)
        .toList();

    List<String> expectedFailedMessages = rulesHere.stream()
        .map(CelRule::message)
        .filter(message -> failingMessageFragments.stream().anyMatch(message::contains))
        .toList();
    assertThat(failedMessages).as("messages of the rules at %s that %s breaks", path, selfYaml)
        .containsExactlyInAnyOrderElementsOf(expectedFailedMessages);
  }

  static Stream<CelRule> evaluatedRuleSource() {
    return evaluatedRules().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evaluatedRuleSource")
  void evaluatedRuleCompilesToBool(CelRule rule) {
    CelValidationResult compiled = CelRules.compile(rule.rule());
    assertThat(compiled.hasError())
        .as("rule at %s does not compile (the API server would refuse the CRD):%n%s", rule.path(),
            compiled.hasError() ? compiled.getErrorString() : "")
        .isFalse();
  }

  @Test
  void declaredOnlyRulesExistAndCannotRunOnlyForWantOfKubernetesFunctions() {
    for (DeclaredOnly entry : DECLARED_ONLY) {
      List<CelRule> matching = allRules().stream()
          .filter(rule -> rule.path().equals(entry.path()) && rule.message().contains(entry.messageFragment()))
          .toList();
      assertThat(matching).as("CRD rules for the DECLARED_ONLY entry %s (stale entry?)", entry).hasSize(1);
      CelRule rule = matching.get(0);

      // It must be well-formed CEL: only the Kubernetes library is missing, nothing else may be wrong.
      CelValidationResult parsed = CelRules.parse(rule.rule());
      assertThat(parsed.hasError()).as("rule at %s does not parse: %s", rule.path(),
          parsed.hasError() ? parsed.getErrorString() : "").isFalse();
      Set<String> missing = CelRules.undeclaredFunctions(CelRules.compile(rule.rule()));
      assertThat(missing)
          .as("functions cel-java lacks in %s (empty: it can run here, so move it into ruleVerdicts())", rule)
          .isNotEmpty()
          .contains(entry.kubernetesFunction())
          .isSubsetOf(CelRules.KUBERNETES_ONLY_FUNCTIONS);
    }
  }

  static Stream<CelRule> allRuleSource() {
    return allRules().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allRuleSource")
  void messageNamesTheFieldItGuards(CelRule rule) {
    assertThat(rule.message()).as("message of %s", rule).contains(guardedField(rule.path()));
  }

  /**
   * The API server estimates each rule's worst-case cost from maxItems and maxLength, taking about 3 MiB for
   * an unbounded list or string, and refuses the whole CRD when a rule is over budget. This is a conservative
   * stand-in for that estimator: a rule that iterates a list or scans a string needs those bounds.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("allRuleSource")
  void ruleCostIsBoundedBySchema(CelRule rule) {
    JsonNode schema = schemaAt(rule.path());
    boolean iterates = rule.rule().matches("(?s).*\\.(all|exists|exists_one|map|filter)\\(.*");
    boolean scansStrings = rule.rule().matches("(?s).*\\.(matches|contains|startsWith|endsWith|split|find)\\(.*");
    if ("array".equals(schema.path("type").asText()) && iterates) {
      assertThat(schema.has("maxItems")).as("maxItems on %s, whose rule iterates it", rule.path()).isTrue();
      if ("string".equals(schema.path("items").path("type").asText())) {
        assertThat(schema.path("items").has("maxLength")).as("maxLength on the items of %s", rule.path()).isTrue();
      }
    }
    if ("string".equals(schema.path("type").asText()) && scansStrings) {
      assertThat(schema.has("maxLength")).as("maxLength on %s, whose rule scans it", rule.path()).isTrue();
    }
  }

  private static JsonNode schemaAt(String path) {
    return CrdFixtures.walk(CrdFixtures.openApiV3Schema()).stream()
        .filter(node -> node.path().equals(path)).findFirst().orElseThrow().schema();
  }

  /** "spec.etcd.tls" guards "etcd.tls": messages name fields the way users write them under spec. */
  static String guardedField(String path) {
    String field = path.replace("[]", "").replace(".*", "");
    return field.equals("spec") || field.equals("status") ? field : field.replaceFirst("^(spec|status)\\.", "");
  }
}
