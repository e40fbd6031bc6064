package io.etcdguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.Collections;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAPI part of the generated CRD, checked the way the API server would check a create: no API server
 * runs in these tests (docs/development.md), so the structural schema is validated as JSON Schema draft 4,
 * which OpenAPI v3.0 schema objects follow. CEL rules ({@code x-kubernetes-validations}) are left to
 * CrdCelRulesTest. Unknown fields are not tested as rejections: the API server prunes them.
 */
class CrdSchemaValidationTest {
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() {
    schema = CrdFixtures.openApiV3SchemaValidator();
  }

  static Stream<Arguments> validPolicies() {
    return Stream.of(
        Arguments.of("minimal: only etcd.endpoints", """
            etcd:
              endpoints: [https://127.0.0.1:2379]
            """),
        Arguments.of("full, TLS from a Secret", """
            etcd:
              endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379, https://etcd-2.example.internal:2379]
              dialTimeout: 10s
              tls:
                secretRef: {name: etcd-client.v2, namespace: kube-system}
            nodeSelector:
              matchLabels:
                node-role.kubernetes.io/control-plane: ""
              matchExpressions:
                - {key: kubernetes.io/os, operator: In, values: [linux]}
            addressFamily: IPv4
            allowedCIDRs: [192.168.1.0/24, fd00::/64]
            checkInterval: 1m30s
            """),
        Arguments.of("full, TLS from files on the host", """
            etcd:
              endpoints: [https://127.0.0.1:2379]
              dialTimeout: 500ms
              tls:
                caFile: /var/lib/rancher/k3s/server/tls/etcd/server-ca.crt
                certFile: /var/lib/rancher/k3s/server/tls/etcd/client.crt
                keyFile: /var/lib/rancher/k3s/server/tls/etcd/client.key
            nodeSelector:
              matchLabels:
                node-role.kubernetes.io/etcd: "true"
            addressFamily: IPv6
            checkInterval: 2m
            """),
        Arguments.of("plain http endpoint, family Any", """
            etcd:
              endpoints: [http://etcd.test.svc:2379]
            addressFamily: Any
            """),
        Arguments.of("bracketed IPv6 endpoint", """
            etcd:
              endpoints: ['https://[fd00::1]:2379']
            addressFamily: IPv6
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validPolicies")
  void acceptsValidPolicy(String description, String specYaml) {
    assertThat(schema.validate(CrdFixtures.policyWithSpec(specYaml)))
        .as("schema violations of a valid policy (%s)", description)
        .isEmpty();
  }

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        // description, spec, JSON Schema keyword that must fail, field path it must name
        Arguments.of("addressFamily IPv5", """
            etcd: {endpoints: [https://127.0.0.1:2379]}
            addressFamily: IPv5
            """, "enum", "spec.addressFamily"),
        Arguments.of("matchExpressions operator outside In, NotIn, Exists, DoesNotExist", """
            etcd: {endpoints: [https://127.0.0.1:2379]}
            nodeSelector:
              matchExpressions:
                - {key: node-role.kubernetes.io/etcd, operator: Equals, values: ["true"]}
            """, "enum", "spec.nodeSelector.matchExpressions[0].operator"),
        Arguments.of("matchExpressions operator in the wrong case", """
            etcd: {endpoints: [https://127.0.0.1:2379]}
            nodeSelector:
              matchExpressions:
                - {key: node-role.kubernetes.io/etcd, operator: exists}
            """, "enum", "spec.nodeSelector.matchExpressions[0].operator"),
        Arguments.of("no etcd", """
            addressFamily: IPv4
            """, "required", "spec.etcd"),
        Arguments.of("etcd without endpoints", """
            etcd: {dialTimeout: 5s}
            """, "required", "spec.etcd.endpoints"),
        Arguments.of("empty endpoints list", """
            etcd: {endpoints: []}
            """, "minItems", "spec.etcd.endpoints"),
        Arguments.of("more endpoints than maxItems", """
            etcd: {endpoints: [%s]}
            """.formatted(String.join(", ", Collections.nCopies(
                EtcdConnection.MAX_ENDPOINTS + 1, "https://127.0.0.1:2379"))), "maxItems", "spec.etcd.endpoints"),
        Arguments.of("endpoints as a string, not a list", """
            etcd: {endpoints: https://127.0.0.1:2379}
            """, "type", "spec.etcd.endpoints"),
        Arguments.of("checkInterval without a unit", """
            etcd: {endpoints: [https://127.0.0.1:2379]}
            checkInterval: "30"
            """, "pattern", "spec.checkInterval"),
        Arguments.of("checkInterval as a YAML number", """
            etcd: {endpoints: [https://127.0.0.1:2379]}
            checkInterval: 30
            """, "type", "spec.checkInterval"),
        Arguments.of("dialTimeout that is not a duration", """
            etcd: {endpoints: [https://127.0.0.1:2379], dialTimeout: fast}
            """, "pattern", "spec.etcd.dialTimeout"),
        Arguments.of("secretRef without namespace", """
            etcd:
              endpoints: [https://127.0.0.1:2379]
              tls: {secretRef: {name: etcd-client}}
            """, "required", "spec.etcd.tls.secretRef.namespace"),
        Arguments.of("secretRef name with uppercase", """
            etcd:
              endpoints: [https://127.0.0.1:2379]
              tls: {secretRef: {name: Etcd-Client, namespace: kube-system}}
            """, "pattern", "spec.etcd.tls.secretRef.name"),
        Arguments.of("secretRef namespace with a dot (namespaces are DNS labels)", """
            etcd:
              endpoints: [https://127.0.0.1:2379]
              tls: {secretRef: {name: etcd-client, namespace: kube.system}}
            """, "pattern", "spec.etcd.tls.secretRef.namespace"),
        Arguments.of("secretRef namespace longer than a DNS label", """
            etcd:
              endpoints: [https://127.0.0.1:2379]
              tls: {secretRef: {name: etcd-client, namespace: %s}}
            """.formatted("n".repeat(64)), "maxLength", "spec.etcd.tls.secretRef.namespace"),
        Arguments.of("allowedCIDRs entry as a number", """
            etcd: {endpoints: [https://127.0.0.1:2379]}
            allowedCIDRs: [10]
            """, "type", "spec.allowedCIDRs[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void rejectsInvalidPolicyNamingTheField(String description, String specYaml, String keyword, String fieldPath) {
    Set<ValidationMessage> messages = schema.validate(CrdFixtures.policyWithSpec(specYaml));

    // Exactly one violation: a case that is invalid for some other reason as well proves nothing.
    assertThat(messages).as("schema violations of: %s", description).hasSize(1);
    ValidationMessage message = messages.iterator().next();
    assertThat(message.getType()).as("failing keyword; message: %s", message.getMessage()).isEqualTo(keyword);
    assertThat(offendingField(message)).as("field named by: %s", message.getMessage()).isEqualTo(fieldPath);
    assertThat(message.getMessage()).as("what a user reads").contains(lastSegment(fieldPath));
  }

  @Test
  void validatorRejectsSomethingAtAll() {
    // Guards the guards: a schema that failed to load as JSON Schema would accept everything.
    assertThat(schema.validate(CrdFixtures.yaml("spec: 42"))).extracting(ValidationMessage::getType)
        .containsExactly("type");
    assertThat(schema.validate(CrdFixtures.yaml("spec: {}"))).extracting(ValidationMessage::getType)
        .containsExactly("required");
  }

  /** The field a message is about: for "required" that is the missing property, not its parent. */
  private static String offendingField(ValidationMessage message) {
    String instance = message.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
    if ("required".equals(message.getType())) {
      return instance.isEmpty() ? message.getProperty() : instance + "." + message.getProperty();
    }
    return instance;
  }

  private static String lastSegment(String fieldPath) {
    String withoutIndex = fieldPath.replaceAll("\\[\\d+]$", "");
    return withoutIndex.substring(withoutIndex.lastIndexOf('.') + 1);
  }
}
