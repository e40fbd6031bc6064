package io.etcdguard.audit;

import io.etcdguard.etcd.EtcdFailureClassifier;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.etcd.MemberListing;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the audit CLI's input files: `etcdctl member list -w json`, `kubectl get nodes -o json|yaml`
 * and a NodeAddressPolicy YAML. Every error names the file and, where there is one, the field.
 */
public final class InputFiles {
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** YAML is a superset of JSON, so one strict mapper reads both. */
  private static final ObjectMapper STRICT = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  /** Nodes carry many fields we never look at; the model's own classes keep what they do not know. */
  private static final ObjectMapper LENIENT = YAMLMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private InputFiles() {}

  public static MemberListing readMembers(Path file) throws InputException {
    JsonNode root = readTree(file);
    JsonNode members = root.get("members");
    if (members == null || !members.isArray()) {
      throw new InputException(file + ": 'members' array not found; expected the output of `etcdctl member list -w json`");
    }
    long clusterId = 0;
    JsonNode header = root.get("header");
    if (header != null && header.has("cluster_id")) {
      clusterId = unsigned64(file, "header.cluster_id", header.get("cluster_id"));
    }
    List<EtcdMember> result = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      JsonNode m = members.get(i);
      String at = "members[" + i + "]";
      if (!m.isObject()) {
        throw new InputException(file + ": " + at + ": expected an object");
      }
      if (!m.has("ID")) {
        throw new InputException(file + ": " + at + ".ID: missing");
      }
      long id = unsigned64(file, at + ".ID", m.get("ID"));
      result.add(new EtcdMember(id, text(file, at + ".name", m.get("name")),
          strings(file, at + ".peerURLs", m.get("peerURLs")), strings(file, at + ".clientURLs", m.get("clientURLs")),
          m.has("isLearner") && m.get("isLearner").asBoolean()));
    }
    return new MemberListing(clusterId, result);
  }

  public static List<Node> readNodes(Path file) throws InputException {
    JsonNode root = readTree(file);
    List<JsonNode> items = new ArrayList<>();
    String kind = root.path("kind").asString("");
    if (root.has("items") && root.get("items").isArray()) {
      root.get("items").forEach(items::add);
    } else if ("Node".equals(kind)) {
      items.add(root);
    } else {
      throw new InputException(file + ": neither a Node nor a list of Nodes; expected the output of `kubectl get nodes -o json`");
    }
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String itemKind = item.path("kind").asString("Node");
      if (!"Node".equals(itemKind)) {
        throw new InputException(file + ": items[" + i + "].kind: '" + itemKind + "' is not a Node");
      }
      if (item.path("metadata").path("name").asString("").isEmpty()) {
        throw new InputException(file + ": items[" + i + "].metadata.name: missing");
      }
      try {
        nodes.add(LENIENT.treeToValue(item, Node.class));
      } catch (JacksonException e) {
        throw new InputException(file + ": items[" + i + "]" + pathOf(e) + ": " + e.getOriginalMessage());
      }
    }
    return nodes;
  }

  public static NodeAddressPolicy readPolicy(Path file) throws InputException {
    JsonNode root = readTree(file);
    String kind = root.path("kind").asString("");
    if (!NodeAddressPolicy.KIND.equals(kind)) {
      throw new InputException(file + ": kind: expected " + NodeAddressPolicy.KIND + ", found '" + kind + "'");
    }
    try {
      return STRICT.treeToValue(root, NodeAddressPolicy.class);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : " (known: "
          + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
      throw new InputException(file + ": " + fieldPath(e) + ": unknown field" + known);
    } catch (JacksonException e) {
      throw new InputException(file + ": " + fieldPath(e) + ": " + EtcdFailureClassifier.firstLine(e.getOriginalMessage()));
    }
  }

  private static JsonNode readTree(Path file) throws InputException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (text.isBlank()) {
      throw new InputException(file + ": empty file");
    }
    try {
      JsonNode root = STRICT.readTree(text);
      if (root == null || !root.isObject()) {
        throw new InputException(file + ": expected a JSON or YAML object at the top");
      }
      return root;
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InputException(file + ": malformed JSON/YAML" + where + ": " + EtcdFailureClassifier.firstLine(e.getOriginalMessage()));
    }
  }

  private static long unsigned64(Path file, String field, JsonNode value) throws InputException {
    BigInteger n;
    if (value.isIntegralNumber()) {
      n = value.bigIntegerValue();
    } else if (value.isString() && value.asString().matches("[0-9a-fA-F]{1,16}")) {
      n = new BigInteger(value.asString(), 16); // `etcdctl --hex` prints IDs as hex strings
    } else {
      throw new InputException(file + ": " + field + ": expected an unsigned 64-bit number, found " + value);
    }
    if (n.signum() < 0 || n.compareTo(UINT64_MAX) > 0) {
      throw new InputException(file + ": " + field + ": " + n + " is outside the unsigned 64-bit range");
    }
    return n.longValue(); // keeps the bit pattern: the long is read back as unsigned
  }

  private static String text(Path file, String field, JsonNode value) throws InputException {
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isString()) {
      throw new InputException(file + ": " + field + ": expected a string, found " + value);
    }
    return value.asString();
  }

  private static List<String> strings(Path file, String field, JsonNode value) throws InputException {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new InputException(file + ": " + field + ": expected a list of URLs, found " + value);
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      result.add(text(file, field + "[" + i + "]", value.get(i)));
    }
    return result;
  }

  /** spec.etcd.endpoints[0] from Jackson's reference chain. */
  static String fieldPath(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(top level)" : sb.toString();
  }

  private static String pathOf(JacksonException e) {
    String path = fieldPath(e);
    return "(top level)".equals(path) ? "" : "." + path;
  }
}
