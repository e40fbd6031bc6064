package io.etcdguard.audit;

import io.etcdguard.classify.NodeArgs;
import io.etcdguard.classify.NodeInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams `kubectl get nodes -o json|yaml` (a List of Nodes, or one Node) into {@link NodeInfo}s: name,
 * labels, the etcd member annotations, the InternalIP/ExternalIP addresses and the Ready condition's status.
 * Images, the other conditions, managed fields and everything else are skipped unread, so memory does not grow
 * with them.
 */
final class NodeListReader {
  private static final String EXPECTED = "the output of `kubectl get nodes -o json`";

  private NodeListReader() {}

  /** What one Node (or the top of a single-Node file) holds, gathered in any field order. */
  private static final class NodeFields {
    String kind;
    String name;
    Map<String, String> labels = Map.of();
    Map<String, String> annotations = Map.of();
    List<String> internalIPs = List.of();
    List<String> otherAddresses = List.of();
    Boolean ready;

    /** Returns false for a field it does not keep (the caller then skips it). */
    boolean read(Path file, JsonParser p, String field, FieldPath at) throws InputException {
      switch (field) {
        case "kind" -> kind = InputFiles.scalar(file, p, at.field("kind"));
        case "metadata" -> metadata(file, p, at.field("metadata"));
        case "status" -> status(file, p, at.field("status"));
        default -> {
          return false;
        }
      }
      return true;
    }

    private void metadata(Path file, JsonParser p, FieldPath at) throws InputException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      InputFiles.expect(file, p, JsonToken.START_OBJECT, at, "an object");
      while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        InputFiles.next(file, p);
        switch (field) {
          case "name" -> name = InputFiles.scalar(file, p, at.field("name"));
          case "labels" -> labels = stringMap(file, p, at.field("labels"), null);
          case "annotations" -> annotations = stringMap(file, p, at.field("annotations"), NodeFields::keptAnnotation);
          default -> p.skipChildren();
        }
      }
    }

    private static boolean keptAnnotation(String key) {
      return NodeInfo.MEMBER_NAME_ANNOTATIONS.contains(key) || NodeInfo.MEMBER_ADDRESS_ANNOTATIONS.contains(key)
          || NodeArgs.ANNOTATIONS.contains(key);
    }

    private void status(Path file, JsonParser p, FieldPath at) throws InputException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      InputFiles.expect(file, p, JsonToken.START_OBJECT, at, "an object");
      while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        InputFiles.next(file, p);
        if (field.equals("addresses")) {
          addresses(file, p, at.field("addresses"));
        } else if (field.equals("conditions")) {
          conditions(file, p, at.field("conditions"));
        } else {
          p.skipChildren();
        }
      }
    }

    private void addresses(Path file, JsonParser p, FieldPath at) throws InputException {
      List<String> internal = new ArrayList<>();
      List<String> external = new ArrayList<>();
      typedEntries(file, p, at, "address", (type, address) -> {
        if ("InternalIP".equals(type)) {
          internal.add(address);
        } else if ("ExternalIP".equals(type)) {
          external.add(address);
        }
      });
      internalIPs = internal;
      otherAddresses = external;
    }

    /** Keeps only the status of the Ready condition. */
    private void conditions(Path file, JsonParser p, FieldPath at) throws InputException {
      typedEntries(file, p, at, "status", (type, status) -> {
        if (NodeInfo.READY_CONDITION.equals(type)) {
          ready = NodeInfo.readyFromStatus(status);
        }
      });
    }

    /**
     * A list of objects with a {@code type} and one value field (status.addresses, status.conditions): each entry
     * whose value is there, as (type, value); every other field is skipped. Null is an empty list.
     */
    private static void typedEntries(Path file, JsonParser p, FieldPath at, String valueField, BiConsumer<String, String> entry)
        throws InputException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      InputFiles.expect(file, p, JsonToken.START_ARRAY, at, "a list");
      int i = 0;
      while (InputFiles.next(file, p) != JsonToken.END_ARRAY) {
        FieldPath item = at.index(i++);
        InputFiles.expect(file, p, JsonToken.START_OBJECT, item, "an object");
        String type = null;
        String value = null;
        while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
          String field = p.currentName();
          InputFiles.next(file, p);
          if (field.equals("type")) {
            type = InputFiles.scalar(file, p, item.field("type"));
          } else if (field.equals(valueField)) {
            value = InputFiles.scalar(file, p, item.field(valueField));
          } else {
            p.skipChildren();
          }
        }
        if (value != null) {
          entry.accept(type, value);
        }
      }
    }

    NodeInfo toNodeInfo(Path file, FieldPath at) throws InputException {
      if (kind != null && !"Node".equals(kind)) {
        throw new InputException(file + ": " + at.field("kind") + ": '" + kind + "' is not a Node");
      }
      if (name == null || name.isEmpty()) {
        throw new InputException(file + ": " + at.field("metadata").field("name") + ": missing");
      }
      return new NodeInfo(name, labels, annotations, internalIPs, otherAddresses, null, null, ready);
    }
  }

  static List<NodeInfo> read(Path file, JsonParser p) throws InputException {
    InputFiles.startRoot(file, p, EXPECTED);
    NodeFields top = new NodeFields();
    List<NodeInfo> items = null;
    while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      InputFiles.next(file, p);
      if (field.equals("items") && p.currentToken() == JsonToken.START_ARRAY) {
        items = items(file, p);
      } else if (!top.read(file, p, field, FieldPath.ROOT)) {
        p.skipChildren();
      }
    }
    InputFiles.endRoot(file, p);
    if (items != null) {
      return items;
    }
    if ("Node".equals(top.kind)) {
      return List.of(top.toNodeInfo(file, FieldPath.ROOT));
    }
    throw new InputException(file + ": neither a Node nor a list of Nodes; expected " + EXPECTED);
  }

  private static final FieldPath ITEMS = FieldPath.ROOT.field("items");

  private static List<NodeInfo> items(Path file, JsonParser p) throws InputException {
    List<NodeInfo> nodes = new ArrayList<>();
    while (InputFiles.next(file, p) != JsonToken.END_ARRAY) {
      FieldPath at = ITEMS.index(nodes.size());
      InputFiles.expect(file, p, JsonToken.START_OBJECT, at, "an object");
      NodeFields node = new NodeFields();
      while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        InputFiles.next(file, p);
        if (!node.read(file, p, field, at)) {
          p.skipChildren();
        }
      }
      nodes.add(node.toNodeInfo(file, at));
    }
    return nodes;
  }

  /** A map of string to string, keeping only the keys {@code keep} accepts (all when null). */
  private static Map<String, String> stringMap(Path file, JsonParser p, FieldPath at, java.util.function.Predicate<String> keep)
      throws InputException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    InputFiles.expect(file, p, JsonToken.START_OBJECT, at, "an object");
    Map<String, String> result = new HashMap<>();
    while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
      String key = p.currentName();
      InputFiles.next(file, p);
      if (keep == null || keep.test(key)) {
        String value = InputFiles.scalar(file, p, at.field(key));
        if (value != null) {
          result.put(key, value);
        }
      } else {
        p.skipChildren();
      }
    }
    return result;
  }
}
