package io.etcdguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/crd-reference.md must keep up with the API: every field of the generated schema is documented, every
 * field it documents exists, and its example policies are accepted by the schema and the CEL rules.
 */
class CrdReferenceDocTest {
  /** A field path as the reference writes it, in backticks: `spec.etcd.tls.secretRef.name`, `status.members[].id`. */
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  private static String doc;

  @BeforeAll
  static void readDoc() throws IOException {
    doc = Files.readString(CrdFixtures.referenceDocPath());
  }

  /** Fields (not list items, not map values) under spec and status, in the reference's notation. */
  private static Set<String> schemaFields() {
    return CrdFixtures.documentableFields(CrdFixtures.openApiV3Schema());
  }

  @Test
  void everySchemaFieldIsDocumented() {
    Set<String> fields = schemaFields();
    assertThat(fields).as("fields found in the schema").contains("spec.etcd.endpoints", "status.members[].peerURLs");

    Set<String> undocumented = fields.stream()
        .filter(field -> !doc.contains("`" + field + "`"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(undocumented)
        .as("schema fields that %s does not mention (write them in backticks, e.g. `spec.etcd.endpoints`)",
            CrdFixtures.referenceDocPath())
        .isEmpty();
  }

  @Test
  void everyDocumentedFieldExists() {
    Set<String> documented = CrdFixtures.documentedFields(doc);
    assertThat(documented).as("fields the reference documents").isNotEmpty();
    assertThat(documented).as("fields documented in the reference but absent from the schema (renamed or removed?)")
        .isSubsetOf(schemaFields());
  }

  @Test
  void everyPrinterColumnIsDocumented() {
    List<String> missing = new ArrayList<>();
    for (JsonNode column : CrdFixtures.generatedCrd().at("/spec/versions/0/additionalPrinterColumns")) {
      for (String text : List.of(column.path("name").asText(), column.path("jsonPath").asText())) {
        if (!doc.contains(text)) {
          missing.add(text);
        }
      }
    }
    assertThat(CrdFixtures.generatedCrd().at("/spec/versions/0/additionalPrinterColumns").size()).isPositive();
    assertThat(missing).as("printer column names and JSON paths missing from the reference").isEmpty();
  }

  @Test
  void everyConditionTypeIsDocumented() {
    assertThat(Stream.of(NodeAddressPolicyStatus.CONDITION_READY, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE,
            NodeAddressPolicyStatus.CONDITION_COMPLIANT, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY,
            NodeAddressPolicyStatus.CONDITION_RESTART_SAFE))
        .allMatch(type -> doc.contains("`" + type + "`"));
  }

  static Stream<String> examplePolicies() throws IOException {
    String text = Files.readString(CrdFixtures.referenceDocPath());
    List<String> examples = new ArrayList<>();
    Matcher matcher = YAML_BLOCK.matcher(text);
    while (matcher.find()) {
      if (matcher.group(1).contains("kind: NodeAddressPolicy")) {
        examples.add(matcher.group(1));
      }
    }
    assertThat(examples).as("NodeAddressPolicy examples (```yaml blocks) in the reference").hasSizeGreaterThanOrEqualTo(2);
    return examples.stream();
  }

  @ParameterizedTest(name = "example {index}")
  @MethodSource("examplePolicies")
  void examplePolicyIsAccepted(String exampleYaml) {
    JsonNode policy = CrdFixtures.yaml(exampleYaml);
    assertThat(policy.path("apiVersion").asText()).isEqualTo(NodeAddressPolicy.GROUP + "/" + NodeAddressPolicy.VERSION);
    assertThat(CrdFixtures.openApiV3SchemaValidator().validate(policy)).as("schema violations").isEmpty();
    assertThat(CelRules.violations(CrdFixtures.openApiV3Schema(), policy)).as("CEL rule violations").isEmpty();
  }
}
