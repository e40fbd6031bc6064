package io.etcdguard.host;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.NodeAddressReportSpec;
import io.etcdguard.api.v1alpha1.NodeIPPrediction;
import io.etcdguard.api.v1alpha1.NodeIPPredictions;
import io.etcdguard.api.v1alpha1.ReportedAddress;
import io.etcdguard.api.v1alpha1.ReportedInterface;
import io.etcdguard.api.v1alpha1.ReportedRoute;
import io.etcdguard.api.v1alpha1.UnreadableHostFact;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The agent's NodeAddressReport JSON, written and read with jackson-core's streaming API instead of Jackson
 * databind: databind's mapper, serializers and introspection are about 480 classes that the publishing agent
 * would load only for this (docs/performance.md, "Node agent footprint"). The crd types stay the single source of
 * truth: ReportJsonTest checks that what this writes equals, as a JSON tree, databind's serialization of the same
 * report, and that what it reads equals what databind reads. When a crd field is added, that test fails until it
 * is added here too.
 *
 * <p>Writes what databind writes: the report's own properties, null ones left out (the crd types' NON_NULL),
 * empty lists kept. Reads the spec in full and, of the metadata, the fields the agent may look at (name, uid,
 * resourceVersion, generation, creationTimestamp, labels, annotations); other metadata (managedFields, owner
 * references) and unknown properties are skipped, as databind skips unknown ones.
 */
public final class ReportJson {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final String API_VERSION = NodeAddressPolicy.GROUP + "/" + NodeAddressPolicy.VERSION;

  private ReportJson() {
  }

  /** The report as the API server takes it (apiVersion, kind, metadata, spec). */
  public static String write(NodeAddressReport report) {
    return generate(json -> {
      json.writeStartObject();
      json.writeStringProperty("apiVersion", API_VERSION);
      json.writeStringProperty("kind", NodeAddressReport.KIND);
      if (report.getMetadata() != null) {
        json.writeName("metadata");
        writeMetadata(json, report.getMetadata());
      }
      if (report.getSpec() != null) {
        json.writeName("spec");
        writeSpec(json, report.getSpec());
      }
      json.writeEndObject();
    });
  }

  /** A JSON patch (RFC 6902) that replaces the whole spec with this one. */
  public static String replaceSpecPatch(NodeAddressReportSpec spec) {
    return generate(json -> {
      json.writeStartArray();
      json.writeStartObject();
      json.writeStringProperty("op", "replace");
      json.writeStringProperty("path", "/spec");
      json.writeName("value");
      writeSpec(json, spec);
      json.writeEndObject();
      json.writeEndArray();
    });
  }

  /** Reads a report as the API server returns it. */
  public static NodeAddressReport read(String text) {
    try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), text)) {
      NodeAddressReport report = new NodeAddressReport();
      expect(json, json.nextToken(), JsonToken.START_OBJECT, "NodeAddressReport");
      while (json.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        switch (name) {
          case "metadata" -> report.setMetadata(value == JsonToken.VALUE_NULL ? null : readMetadata(json));
          case "spec" -> report.setSpec(value == JsonToken.VALUE_NULL ? null : readSpec(json));
          default -> json.skipChildren(); // apiVersion and kind are the class's own; status is Void
        }
      }
      return report;
    }
  }

  private interface Body {
    void write(JsonGenerator json);
  }

  private static String generate(Body body) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), text)) {
      body.write(json);
    }
    return text.toString();
  }

  private static void writeMetadata(JsonGenerator json, ObjectMeta meta) {
    json.writeStartObject();
    writeString(json, "creationTimestamp", meta.getCreationTimestamp());
    if (meta.getGeneration() != null) {
      json.writeNumberProperty("generation", meta.getGeneration().longValue());
    }
    writeStringMap(json, "annotations", meta.getAnnotations());
    writeStringMap(json, "labels", meta.getLabels());
    writeString(json, "name", meta.getName());
    writeString(json, "namespace", meta.getNamespace());
    writeString(json, "resourceVersion", meta.getResourceVersion());
    writeString(json, "uid", meta.getUid());
    json.writeEndObject();
  }

  private static void writeSpec(JsonGenerator json, NodeAddressReportSpec spec) {
    json.writeStartObject();
    writeString(json, "nodeName", spec.getNodeName());
    writeString(json, "observedAt", spec.getObservedAt());
    writeString(json, "source", spec.getSource());
    writeList(json, "addresses", spec.getAddresses(), ReportJson::writeAddress);
    writeList(json, "defaultRoutes", spec.getDefaultRoutes(), ReportJson::writeRoute);
    writeList(json, "interfaces", spec.getInterfaces(), ReportJson::writeInterface);
    if (spec.getPredictions() != null) {
      NodeIPPredictions predictions = spec.getPredictions();
      json.writeName("predictions");
      json.writeStartObject();
      if (predictions.getNow() != null) {
        json.writeName("now");
        writePrediction(json, predictions.getNow());
      }
      if (predictions.getBootRace() != null) {
        json.writeName("bootRace");
        writePrediction(json, predictions.getBootRace());
      }
      json.writeEndObject();
    }
    writeList(json, "unreadable", spec.getUnreadable(), (g, fact) -> {
      g.writeStartObject();
      writeString(g, "fact", fact.getFact());
      writeString(g, "reason", fact.getReason());
      g.writeEndObject();
    });
    json.writeEndObject();
  }

  private static void writeAddress(JsonGenerator json, ReportedAddress a) {
    json.writeStartObject();
    writeString(json, "interface", a.getInterfaceName());
    writeNumber(json, "ifindex", a.getIfindex());
    writeString(json, "address", a.getAddress());
    json.writeNumberProperty("prefixLength", a.getPrefixLength());
    writeString(json, "family", a.getFamily());
    writeString(json, "scope", a.getScope());
    json.writeBooleanProperty("temporary", a.isTemporary());
    json.writeBooleanProperty("deprecated", a.isDeprecated());
    json.writeBooleanProperty("tentative", a.isTentative());
    json.writeBooleanProperty("dadfailed", a.isDadfailed());
    json.writeBooleanProperty("permanent", a.isPermanent());
    json.writeBooleanProperty("optimistic", a.isOptimistic());
    json.writeBooleanProperty("mngtmpaddr", a.isMngtmpaddr());
    json.writeBooleanProperty("noprefixroute", a.isNoprefixroute());
    json.writeBooleanProperty("stablePrivacy", a.isStablePrivacy());
    writeString(json, "validLifetime", a.getValidLifetime());
    writeNumber(json, "validLifetimeSeconds", a.getValidLifetimeSeconds());
    writeNumber(json, "validLifetimeAtMostSeconds", a.getValidLifetimeAtMostSeconds());
    writeString(json, "preferredLifetime", a.getPreferredLifetime());
    writeNumber(json, "preferredLifetimeSeconds", a.getPreferredLifetimeSeconds());
    writeNumber(json, "preferredLifetimeAtMostSeconds", a.getPreferredLifetimeAtMostSeconds());
    json.writeEndObject();
  }

  private static void writeRoute(JsonGenerator json, ReportedRoute r) {
    json.writeStartObject();
    writeString(json, "family", r.getFamily());
    writeString(json, "interface", r.getInterfaceName());
    writeString(json, "gateway", r.getGateway());
    writeNumber(json, "metric", r.getMetric());
    json.writeEndObject();
  }

  private static void writeInterface(JsonGenerator json, ReportedInterface i) {
    json.writeStartObject();
    writeString(json, "name", i.getName());
    writeNumber(json, "ifindex", i.getIfindex());
    json.writeBooleanProperty("up", i.isUp());
    json.writeBooleanProperty("loopback", i.isLoopback());
    writeNumber(json, "useTempaddr", i.getUseTempaddr());
    writeNumber(json, "tempPreferredLifetimeSeconds", i.getTempPreferredLifetimeSeconds());
    writeNumber(json, "tempValidLifetimeSeconds", i.getTempValidLifetimeSeconds());
    json.writeEndObject();
  }

  private static void writePrediction(JsonGenerator json, NodeIPPrediction p) {
    json.writeStartObject();
    writeString(json, "address", p.getAddress());
    writeString(json, "family", p.getFamily());
    writeString(json, "interface", p.getInterfaceName());
    writeString(json, "why", p.getWhy());
    writeString(json, "certainty", p.getCertainty());
    json.writeEndObject();
  }

  private interface ElementWriter<T> {
    void write(JsonGenerator json, T element);
  }

  private static <T> void writeList(JsonGenerator json, String name, List<T> list, ElementWriter<T> element) {
    if (list == null) {
      return;
    }
    json.writeName(name);
    json.writeStartArray();
    for (T item : list) {
      if (item == null) {
        json.writeNull();
      } else {
        element.write(json, item);
      }
    }
    json.writeEndArray();
  }

  private static void writeString(JsonGenerator json, String name, String value) {
    if (value != null) {
      json.writeStringProperty(name, value);
    }
  }

  private static void writeNumber(JsonGenerator json, String name, Number value) {
    if (value != null) {
      json.writeNumberProperty(name, value.longValue());
    }
  }

  private static void writeStringMap(JsonGenerator json, String name, Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return;
    }
    json.writeName(name);
    json.writeStartObject();
    for (Map.Entry<String, String> entry : map.entrySet()) {
      json.writeName(entry.getKey());
      if (entry.getValue() == null) {
        json.writeNull();
      } else {
        json.writeString(entry.getValue());
      }
    }
    json.writeEndObject();
  }

  // Reading: each read* is called with the parser on the object's START_OBJECT and returns on its END_OBJECT.

  /** Reads one property into its object: the parser on the value; false for a property it does not have. */
  private interface PropertyReader<T> {
    boolean read(T target, String name, JsonParser in);
  }

  /** An object's properties, each through {@code properties}; a property it does not have is skipped. */
  private static <T> T readObject(JsonParser json, String where, T target, PropertyReader<T> properties) {
    expect(json, json.currentToken(), JsonToken.START_OBJECT, where);
    while (json.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = json.currentName();
      json.nextToken();
      if (!properties.read(target, name, json)) {
        json.skipChildren();
      }
    }
    return target;
  }

  private static ObjectMeta readMetadata(JsonParser json) {
    return readObject(json, "metadata", new ObjectMeta(), (meta, name, in) -> {
      switch (name) {
        case "name" -> meta.setName(string(in));
        case "namespace" -> meta.setNamespace(string(in));
        case "uid" -> meta.setUid(string(in));
        case "resourceVersion" -> meta.setResourceVersion(string(in));
        case "creationTimestamp" -> meta.setCreationTimestamp(string(in));
        case "generation" -> meta.setGeneration(longValue(in, "metadata.generation"));
        case "labels" -> meta.setLabels(readStringMap(in, "metadata.labels"));
        case "annotations" -> meta.setAnnotations(readStringMap(in, "metadata.annotations"));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static NodeAddressReportSpec readSpec(JsonParser json) {
    return readObject(json, "spec", new NodeAddressReportSpec(), (spec, name, in) -> {
      switch (name) {
        case "nodeName" -> spec.setNodeName(string(in));
        case "observedAt" -> spec.setObservedAt(string(in));
        case "source" -> spec.setSource(string(in));
        case "addresses" -> spec.setAddresses(readList(in, "spec.addresses", ReportJson::readAddress));
        case "defaultRoutes" -> spec.setDefaultRoutes(readList(in, "spec.defaultRoutes", ReportJson::readRoute));
        case "interfaces" -> spec.setInterfaces(readList(in, "spec.interfaces", ReportJson::readInterface));
        case "predictions" -> spec.setPredictions(in.currentToken() == JsonToken.VALUE_NULL ? null : readPredictions(in));
        case "unreadable" -> spec.setUnreadable(readList(in, "spec.unreadable", ReportJson::readUnreadable));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static ReportedAddress readAddress(JsonParser json) {
    return readObject(json, "spec.addresses[]", new ReportedAddress(), (a, name, in) -> {
      String field = "spec.addresses[]." + name;
      switch (name) {
        case "interface" -> a.setInterfaceName(string(in));
        case "ifindex" -> a.setIfindex(intValue(in, field));
        case "address" -> a.setAddress(string(in));
        case "prefixLength" -> a.setPrefixLength(primitiveInt(in, field));
        case "family" -> a.setFamily(string(in));
        case "scope" -> a.setScope(string(in));
        case "temporary" -> a.setTemporary(bool(in, field));
        case "deprecated" -> a.setDeprecated(bool(in, field));
        case "tentative" -> a.setTentative(bool(in, field));
        case "dadfailed" -> a.setDadfailed(bool(in, field));
        case "permanent" -> a.setPermanent(bool(in, field));
        case "optimistic" -> a.setOptimistic(bool(in, field));
        case "mngtmpaddr" -> a.setMngtmpaddr(bool(in, field));
        case "noprefixroute" -> a.setNoprefixroute(bool(in, field));
        case "stablePrivacy" -> a.setStablePrivacy(bool(in, field));
        case "validLifetime" -> a.setValidLifetime(string(in));
        case "validLifetimeSeconds" -> a.setValidLifetimeSeconds(longValue(in, field));
        case "validLifetimeAtMostSeconds" -> a.setValidLifetimeAtMostSeconds(longValue(in, field));
        case "preferredLifetime" -> a.setPreferredLifetime(string(in));
        case "preferredLifetimeSeconds" -> a.setPreferredLifetimeSeconds(longValue(in, field));
        case "preferredLifetimeAtMostSeconds" -> a.setPreferredLifetimeAtMostSeconds(longValue(in, field));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static ReportedRoute readRoute(JsonParser json) {
    return readObject(json, "spec.defaultRoutes[]", new ReportedRoute(), (r, name, in) -> {
      switch (name) {
        case "family" -> r.setFamily(string(in));
        case "interface" -> r.setInterfaceName(string(in));
        case "gateway" -> r.setGateway(string(in));
        case "metric" -> r.setMetric(longValue(in, "spec.defaultRoutes[].metric"));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static ReportedInterface readInterface(JsonParser json) {
    return readObject(json, "spec.interfaces[]", new ReportedInterface(), (i, name, in) -> {
      String field = "spec.interfaces[]." + name;
      switch (name) {
        case "name" -> i.setName(string(in));
        case "ifindex" -> i.setIfindex(intValue(in, field));
        case "up" -> i.setUp(bool(in, field));
        case "loopback" -> i.setLoopback(bool(in, field));
        case "useTempaddr" -> i.setUseTempaddr(intValue(in, field));
        case "tempPreferredLifetimeSeconds" -> i.setTempPreferredLifetimeSeconds(longValue(in, field));
        case "tempValidLifetimeSeconds" -> i.setTempValidLifetimeSeconds(longValue(in, field));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static NodeIPPredictions readPredictions(JsonParser json) {
    return readObject(json, "spec.predictions", new NodeIPPredictions(), (predictions, name, in) -> {
      switch (name) {
        case "now" -> predictions.setNow(in.currentToken() == JsonToken.VALUE_NULL ? null : readPrediction(in, "spec.predictions.now"));
        case "bootRace" -> predictions.setBootRace(in.currentToken() == JsonToken.VALUE_NULL ? null : readPrediction(in, "spec.predictions.bootRace"));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static NodeIPPrediction readPrediction(JsonParser json, String where) {
    return readObject(json, where, new NodeIPPrediction(), (p, name, in) -> {
      switch (name) {
        case "address" -> p.setAddress(string(in));
        case "family" -> p.setFamily(string(in));
        case "interface" -> p.setInterfaceName(string(in));
        case "why" -> p.setWhy(string(in));
        case "certainty" -> p.setCertainty(string(in));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static UnreadableHostFact readUnreadable(JsonParser json) {
    return readObject(json, "spec.unreadable[]", new UnreadableHostFact(), (fact, name, in) -> {
      switch (name) {
        case "fact" -> fact.setFact(string(in));
        case "reason" -> fact.setReason(string(in));
        default -> {
          return false;
        }
      }
      return true;
    });
  }

  private static <T> List<T> readList(JsonParser json, String where, Function<JsonParser, T> element) {
    if (json.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(json, json.currentToken(), JsonToken.START_ARRAY, where);
    List<T> list = new ArrayList<>();
    for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
      list.add(token == JsonToken.VALUE_NULL ? null : element.apply(json));
    }
    return list;
  }

  private static Map<String, String> readStringMap(JsonParser json, String where) {
    if (json.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(json, json.currentToken(), JsonToken.START_OBJECT, where);
    Map<String, String> map = new LinkedHashMap<>();
    while (json.nextToken() == JsonToken.PROPERTY_NAME) {
      String key = json.currentName();
      json.nextToken();
      map.put(key, string(json));
    }
    return map;
  }

  private static String string(JsonParser json) {
    JsonToken token = json.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (!token.isScalarValue()) {
      throw new IllegalArgumentException("NodeAddressReport JSON: " + json.currentName() + " must be a string, got " + token);
    }
    return json.getValueAsString();
  }

  private static Long longValue(JsonParser json, String field) {
    return switch (json.currentToken()) {
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> json.getLongValue();
      default -> throw new IllegalArgumentException("NodeAddressReport JSON: " + field + " must be an integer, got " + json.currentToken());
    };
  }

  private static Integer intValue(JsonParser json, String field) {
    return switch (json.currentToken()) {
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> json.getIntValue();
      default -> throw new IllegalArgumentException("NodeAddressReport JSON: " + field + " must be an integer, got " + json.currentToken());
    };
  }

  private static int primitiveInt(JsonParser json, String field) {
    Integer value = intValue(json, field);
    return value == null ? 0 : value;
  }

  private static boolean bool(JsonParser json, String field) {
    return switch (json.currentToken()) {
      case VALUE_NULL, VALUE_FALSE -> false;
      case VALUE_TRUE -> true;
      default -> throw new IllegalArgumentException("NodeAddressReport JSON: " + field + " must be true or false, got " + json.currentToken());
    };
  }

  private static void expect(JsonParser json, JsonToken actual, JsonToken expected, String where) {
    if (actual != expected) {
      throw new IllegalArgumentException("NodeAddressReport JSON: " + where + " must be " + (expected == JsonToken.START_ARRAY
          ? "an array" : "an object") + ", got " + actual);
    }
  }

}
