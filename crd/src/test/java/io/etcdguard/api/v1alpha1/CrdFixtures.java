package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The files these tests read (paths come from surefire system properties set in crd/pom.xml) and a walk
 * over the generated CRD's openAPIV3Schema. Jackson 2 + YAML arrive with networknt's validator, so the
 * schema is read with the same JsonNode type that the validator takes.
 */
final class CrdFixtures {
  private static final Pattern DOCUMENTED_FIELD = Pattern.compile("`((?:spec|status)(?:\\.[A-Za-z][A-Za-z0-9]*(?:\\[])?)*)`");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode generatedCrd;

  private CrdFixtures() {}

  static Path generatedCrdPath() {
    return existingFile("crd.generated");
  }

  static Path checkedInCrdPath() {
    return existingFile("crd.checkedIn");
  }

  static Path referenceDocPath() {
    return existingFile("crd.referenceDoc");
  }

  static synchronized JsonNode generatedCrd() {
    if (generatedCrd == null) {
      generatedCrd = readYaml(generatedCrdPath());
    }
    return generatedCrd;
  }

  static JsonNode openApiV3Schema() {
    JsonNode schema = generatedCrd().at("/spec/versions/0/schema/openAPIV3Schema");
    if (!schema.isObject()) {
      throw new IllegalStateException("No spec.versions[0].schema.openAPIV3Schema in " + generatedCrdPath());
    }
    return schema;
  }

  /**
   * The openAPIV3Schema as a JSON Schema validator. OpenAPI v3.0 schema objects follow draft 4; the
   * {@code x-kubernetes-*} keywords are not JSON Schema and are dropped (the CEL rules are tested apart).
   */
  static JsonSchema openApiV3SchemaValidator() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
        .getSchema(withoutKubernetesExtensions(openApiV3Schema()));
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("Not YAML: " + text, e);
    }
  }

  /** A whole NodeAddressPolicy document around the given spec (YAML, not indented). */
  static JsonNode policyWithSpec(String specYaml) {
    return yaml("apiVersion: etcdguard.io/v1alpha1\nkind: NodeAddressPolicy\nmetadata:\n  name: test\nspec:\n"
        + specYaml.indent(2));
  }

  /** One node of the schema tree and where it sits, e.g. {@code spec.etcd.tls} or {@code status.members[].id}. */
  record SchemaNode(String path, JsonNode schema, boolean viaProperties) {}

  /**
   * Every schema node under {@code schema}, depth first. Paths use the notation of docs/crd-reference.md:
   * properties joined with dots, {@code []} for list items, {@code .*} for map values.
   */
  static List<SchemaNode> walk(JsonNode schema) {
    List<SchemaNode> nodes = new ArrayList<>();
    walk("", schema, true, nodes);
    return nodes;
  }

  private static void walk(String path, JsonNode schema, boolean viaProperties, List<SchemaNode> out) {
    out.add(new SchemaNode(path, schema, viaProperties));
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      walk(path.isEmpty() ? property.getKey() : path + "." + property.getKey(), property.getValue(), viaProperties, out);
    }
    if (schema.path("items").isObject()) {
      walk(path + "[]", schema.get("items"), viaProperties, out);
    }
    if (schema.path("additionalProperties").isObject()) {
      walk(path + ".*", schema.get("additionalProperties"), false, out);
    }
  }

  /**
   * The fields a reference document must name: every path under spec or status reached through properties,
   * not the list items themselves.
   */
  static Set<String> documentableFields(JsonNode schema) {
    return walk(schema).stream()
        .filter(SchemaNode::viaProperties)
        .map(SchemaNode::path)
        .filter(path -> path.startsWith("spec") || path.startsWith("status"))
        .filter(path -> !path.endsWith("[]"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The spec/status field paths a reference document names in backticks, e.g. {@code `spec.etcd.endpoints`}. */
  static Set<String> documentedFields(String doc) {
    Set<String> documented = new TreeSet<>();
    Matcher matcher = DOCUMENTED_FIELD.matcher(doc);
    while (matcher.find()) {
      documented.add(matcher.group(1));
    }
    return documented;
  }

  /** A copy of the schema without Kubernetes' own keywords, which are not JSON Schema. */
  static JsonNode withoutKubernetesExtensions(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    stripKubernetesExtensions(copy);
    return copy;
  }

  private static void stripKubernetesExtensions(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> extensions = new ArrayList<>();
      object.fieldNames().forEachRemaining(name -> {
        if (name.startsWith("x-kubernetes-")) {
          extensions.add(name);
        }
      });
      object.remove(extensions);
    }
    node.forEach(CrdFixtures::stripKubernetesExtensions);
  }

  /** A file named by a surefire system property (crd/pom.xml), which must exist. */
  static Path existingFile(String systemProperty) {
    String value = System.getProperty(systemProperty);
    if (value == null) {
      throw new IllegalStateException("System property " + systemProperty + " is not set; crd/pom.xml sets it for "
          + "surefire: run the tests with ./mvnw -B -pl crd verify");
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(systemProperty + " is " + file + ", which does not exist (the CRD generator "
          + "writes target/generated-crd in process-classes: run ./mvnw -B -pl crd verify)");
    }
    return file;
  }
}
