package io.etcdguard.packaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart's values as documented: every value's comment (the comment lines right above its key in
 * values.yaml) and default, for the values the schema defines. README.md's values table is generated
 * from this.
 */
final class ValuesReference {
  static final String TABLE_START = "<!-- values:start (generated from values.yaml by ValuesDocumentationTest) -->";
  static final String TABLE_END = "<!-- values:end -->";
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(.*)$");

  record Value(String path, String comment, Object defaultValue) {
  }

  private ValuesReference() {
  }

  /** Comment above each key of values.yaml, by dotted path (also for keys nested in free-form values). */
  static Map<String, String> comments(String valuesYaml) {
    Map<String, String> comments = new LinkedHashMap<>();
    Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
    List<String> pending = new ArrayList<>();
    for (String line : valuesYaml.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        pending.clear();
      } else if (trimmed.startsWith("#")) {
        pending.add(trimmed.replaceFirst("^#+ ?", ""));
      } else {
        Matcher key = KEY.matcher(line);
        if (key.matches()) {
          int indent = key.group(1).length();
          while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
            parents.pop();
          }
          String path = parents.isEmpty() ? key.group(2) : parents.peek().getValue() + "." + key.group(2);
          comments.put(path, String.join(" ", pending).strip());
          parents.push(Map.entry(indent, path));
        }
        pending.clear();
      }
    }
    return comments;
  }

  /**
   * The documented values: the schema's leaves (a property without sub-properties), in values.yaml
   * order. A free-form map such as resources is one value.
   */
  static List<Value> values(String valuesYaml, Map<String, Object> schema) {
    Map<String, Object> defaults = Yaml.map(valuesYaml);
    Map<String, String> comments = comments(valuesYaml);
    List<String> leaves = leaves(schema, defaults);
    List<Value> values = new ArrayList<>();
    for (String path : comments.keySet()) {
      if (leaves.contains(path)) {
        values.add(new Value(path, comments.get(path), Yaml.at(defaults, (Object[]) path.split("\\."))));
      }
    }
    return values;
  }

  /**
   * The schema's leaves: a property without sub-properties, or one whose default is an empty map (a
   * structured value the user fills in whole, such as policy.nodeSelector).
   */
  static List<String> leaves(Map<String, Object> schema, Map<String, Object> defaults) {
    List<String> leaves = new ArrayList<>();
    collectLeaves("", schema, defaults, leaves);
    leaves.remove("global");
    return leaves;
  }

  @SuppressWarnings("unchecked")
  private static void collectLeaves(String prefix, Map<String, Object> schema, Map<String, Object> defaults,
      List<String> leaves) {
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    Object defaultValue = prefix.isEmpty() ? defaults : Yaml.at(defaults, (Object[]) prefix.split("\\."));
    if (properties == null || (defaultValue instanceof Map<?, ?> map && map.isEmpty())) {
      leaves.add(prefix);
      return;
    }
    properties.forEach((name, child) -> collectLeaves(prefix.isEmpty() ? name : prefix + "." + name,
        (Map<String, Object>) child, defaults, leaves));
  }

  static String markdownTable(List<Value> values) {
    StringBuilder table = new StringBuilder(TABLE_START + "\n| Value | Description | Default |\n|---|---|---|\n");
    for (Value value : values) {
      table.append("| `").append(value.path()).append("` | ").append(escape(value.comment())).append(" | `")
          .append(escape(Yaml.JSON.writeValueAsString(value.defaultValue()))).append("` |\n");
    }
    return table.append(TABLE_END).toString();
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }
}
