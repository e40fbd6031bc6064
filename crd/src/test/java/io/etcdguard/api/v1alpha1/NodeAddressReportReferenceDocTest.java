package io.etcdguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/crd-reference-nodeaddressreport.md keeps up with the NodeAddressReport CRD: every schema field is
 * documented, every documented field exists, every printer column is named, and the example (an
 * {@code agent --once -o json} output) is accepted by the schema.
 */
class NodeAddressReportReferenceDocTest {
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

  private static String doc;
  private static JsonNode crd;

  @BeforeAll
  static void read() throws IOException {
    doc = Files.readString(CrdFixtures.existingFile("reportCrd.referenceDoc"));
    crd = CrdFixtures.readYaml(CrdFixtures.existingFile("reportCrd.generated"));
  }

  private static JsonNode schema() {
    return crd.at("/spec/versions/0/schema/openAPIV3Schema");
  }

  private static Set<String> schemaFields() {
    return CrdFixtures.documentableFields(schema());
  }

  @Test
  void everySchemaFieldIsDocumented() {
    Set<String> fields = schemaFields();
    assertThat(fields).contains("spec.addresses[].temporary", "spec.predictions.bootRace.address");
    Set<String> undocumented = fields.stream().filter(field -> !doc.contains("`" + field + "`"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(undocumented).as("NodeAddressReport fields the reference does not mention").isEmpty();
  }

  @Test
  void everyDocumentedFieldExists() {
    Set<String> documented = CrdFixtures.documentedFields(doc);
    assertThat(documented).isNotEmpty().isSubsetOf(schemaFields());
  }

  @Test
  void everyPrinterColumnIsDocumented() {
    List<String> missing = new ArrayList<>();
    JsonNode columns = crd.at("/spec/versions/0/additionalPrinterColumns");
    assertThat(columns.size()).isPositive();
    for (JsonNode column : columns) {
      for (String text : List.of(column.path("name").asText(), column.path("jsonPath").asText())) {
        if (!doc.contains(text)) {
          missing.add(text);
        }
      }
    }
    assertThat(missing).as("printer column names and JSON paths missing from the reference").isEmpty();
  }

  @Test
  void theExampleIsAcceptedByTheSchema() {
    Matcher matcher = JSON_BLOCK.matcher(doc);
    assertThat(matcher.find()).as("a ```json example in the reference").isTrue();
    JsonNode example = CrdFixtures.yaml(matcher.group(1));
    assertThat(example.path("kind").asText()).isEqualTo(NodeAddressReport.KIND);
    assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
        .getSchema(CrdFixtures.withoutKubernetesExtensions(schema())).validate(example)).as("schema violations").isEmpty();

    JsonNode withoutPredictions = example.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) withoutPredictions.get("spec")).remove("predictions");
    assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
        .getSchema(CrdFixtures.withoutKubernetesExtensions(schema())).validate(withoutPredictions))
        .as("a report without predictions is refused").isNotEmpty();
  }
}
