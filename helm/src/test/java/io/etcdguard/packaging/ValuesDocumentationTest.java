package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every value is commented in values.yaml, defined in the schema and listed in the chart README. */
class ValuesDocumentationTest {
  private final String valuesYaml = ProjectFiles.read(ProjectFiles.chartDir().resolve("values.yaml"));
  private final Map<String, Object> schema = Yaml.jsonMap(ProjectFiles.read(ProjectFiles.chartDir().resolve("values.schema.json")));

  @Test
  void everySchemaValueIsInValuesYamlWithAComment() {
    List<String> leaves = ValuesReference.leaves(schema, Yaml.map(valuesYaml));
    assertThat(leaves).contains("preset", "etcd.tls.hostPath.keyFile", "policy.nodeSelector", "resources");
    Map<String, String> comments = ValuesReference.comments(valuesYaml);
    assertThat(comments.keySet()).containsAll(leaves);
    assertThat(leaves).allSatisfy(path -> assertThat(comments.get(path)).as("comment above %s in values.yaml", path)
        .isNotBlank());
  }

  @Test
  void everyTopLevelValueIsInTheSchema() {
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    assertThat(properties.keySet()).containsAll(Yaml.map(valuesYaml).keySet());
    assertThat(schema.get("additionalProperties")).isEqualTo(false);
  }

  @Test
  void theReadmeListsEveryValue() throws IOException {
    Path readme = ProjectFiles.chartDir().resolve("README.md");
    String text = Files.readString(readme);
    int start = text.indexOf(ValuesReference.TABLE_START);
    int end = text.indexOf(ValuesReference.TABLE_END);
    assertThat(start).as("README.md has the values table markers").isNotNegative();
    assertThat(end).isGreaterThan(start);
    String expected = ValuesReference.markdownTable(ValuesReference.values(valuesYaml, schema));
    String actual = text.substring(start, end + ValuesReference.TABLE_END.length());
    if (ProjectFiles.updateGenerated() && !actual.equals(expected)) {
      Files.writeString(readme, text.replace(actual, expected));
      actual = expected;
    }
    assertThat(actual).as("the values table of %s; %s", readme, ProjectFiles.REFRESH_HINT).isEqualTo(expected);
  }

  @Test
  void theCommentsAreReadFromTheLinesRightAboveTheKey() {
    Map<String, String> comments = ValuesReference.comments("""
        # header, not a value's comment

        # The port.
        # Second line.
        port: 8080
        image:
          # Tag.
          tag: ""
        """);
    assertThat(comments).containsEntry("port", "The port. Second line.").containsEntry("image", "")
        .containsEntry("image.tag", "Tag.");
  }
}
