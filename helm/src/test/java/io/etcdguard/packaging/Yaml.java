package io.etcdguard.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Plain (untyped) YAML and JSON reading for the tests. */
final class Yaml {
  /** Map keys sorted when writing: the same values always give the same text (the render cache key). */
  static final YAMLMapper YAML = YAMLMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private Yaml() {
  }

  static Map<String, Object> map(String yaml) {
    Map<String, Object> map = YAML.readValue(yaml, MAP);
    return map == null ? Map.of() : map;
  }

  static Map<String, Object> jsonMap(String json) {
    return JSON.readValue(json, MAP);
  }

  /** Every non-empty document of a multi-document YAML stream. */
  static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> values = YAML.readerFor(MAP).readValues(yaml)) {
      while (values.hasNext()) {
        Map<String, Object> document = values.next();
        if (document != null && !document.isEmpty()) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  static String write(Object value) {
    return YAML.writeValueAsString(value);
  }

  /** Walks a path of map keys and list indexes, e.g. at(pod, "spec", "containers", 0, "args"). */
  @SuppressWarnings("unchecked")
  static <T> T at(Object root, Object... path) {
    Object current = root;
    for (Object step : path) {
      if (current == null) {
        return null;
      }
      if (step instanceof Integer index) {
        List<Object> list = (List<Object>) current;
        current = index < list.size() ? list.get(index) : null;
      } else {
        current = ((Map<String, Object>) current).get((String) step);
      }
    }
    return (T) current;
  }
}
