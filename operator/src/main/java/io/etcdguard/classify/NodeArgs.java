package io.etcdguard.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.io.StringWriter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The address flags K3s/RKE2 started a server with, from the Node annotation {@code k3s.io/node-args} /
 * {@code rke2.io/node-args} (the effective server arguments as a JSON array of strings, config-file values
 * included). Only the address flags are kept: the annotation can carry sensitive flags, and nothing else of
 * it is read. Forms understood: {@code --node-ip X}, {@code --node-ip=X}, repeated flags and comma lists;
 * {@code --etcd-arg} values {@code name=value} or {@code --name=value} for etcd's listen/advertise URLs.
 *
 * @param annotation the annotation it was read from, or null when the Node has none
 * @param nodeIps {@code --node-ip} values (also {@code -i}), in order
 * @param advertiseAddresses {@code --advertise-address} values
 * @param nodeExternalIps {@code --node-external-ip} values
 * @param etcdUrls etcd URL flags given through {@code --etcd-arg}, by etcd flag name (e.g. listen-peer-urls)
 * @param problem why the annotation could not be read (it is not a JSON array of strings), or null
 */
public record NodeArgs(String annotation, List<String> nodeIps, List<String> advertiseAddresses, List<String> nodeExternalIps,
    Map<String, List<String>> etcdUrls, String problem) {

  /** The annotations, RKE2's first: an RKE2 Node is never mistaken for K3s. */
  public static final List<String> ANNOTATIONS = List.of("rke2.io/node-args", "k3s.io/node-args");

  /** The etcd flags kept from {@code --etcd-arg}: where etcd listens and what it advertises. */
  public static final Set<String> ETCD_URL_FLAGS = Set.of(
      "listen-peer-urls", "initial-advertise-peer-urls", "listen-client-urls", "advertise-client-urls");

  /** The Node carries no node-args annotation (not K3s/RKE2, or a version that did not record it). */
  public static final NodeArgs ABSENT = new NodeArgs(null, List.of(), List.of(), List.of(), Map.of(), null);

  /** Streaming only: an annotation is a flat array, and databind would cost a short-lived CLI ~400 classes to load. */
  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** Stands for an unreadable annotation in the slim Node: re-reading it gives the same problem, and it holds nothing of the original. */
  private static final String NOT_JSON = "<not JSON>";
  private static final String NOT_AN_ARRAY = "{}";

  public NodeArgs {
    nodeIps = List.copyOf(nodeIps);
    advertiseAddresses = List.copyOf(advertiseAddresses);
    nodeExternalIps = List.copyOf(nodeExternalIps);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    etcdUrls.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    etcdUrls = java.util.Collections.unmodifiableMap(copy);
  }

  /** The node-args of a Node's annotations: the RKE2 one when both are there, {@link #ABSENT} when neither is. */
  public static NodeArgs fromAnnotations(Map<String, String> annotations) {
    String key = keyOf(annotations);
    return key == null ? ABSENT : parse(key, annotations.get(key));
  }

  /** The node-args annotation of these annotations that counts (RKE2's when both are there), or null when neither is. */
  public static String keyOf(Map<String, String> annotations) {
    for (String key : ANNOTATIONS) {
      if (annotations.get(key) != null) {
        return key;
      }
    }
    return null;
  }

  /** Reads one annotation value; never throws: an unreadable value is a {@link #problem()}. */
  public static NodeArgs parse(String annotation, String json) {
    List<String> args = new ArrayList<>();
    boolean arrayOfStrings;
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
      JsonToken first = p.nextToken();
      arrayOfStrings = first == JsonToken.START_ARRAY;
      if (arrayOfStrings) {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          if (t == JsonToken.VALUE_STRING) {
            args.add(p.getString());
          } else {
            // Read on to the end: malformed JSON later on is "not JSON", as a whole-document parse says.
            arrayOfStrings = false;
            p.skipChildren();
          }
        }
      } else if (first != null) {
        p.skipChildren();
      }
      if (first != null && p.nextToken() != null) {
        return unreadable(annotation, "is not JSON");
      }
    } catch (JacksonException e) {
      return unreadable(annotation, "is not JSON");
    }
    if (!arrayOfStrings) {
      return unreadable(annotation, "is not a JSON array of strings");
    }
    return fromArgs(annotation, args);
  }

  private static NodeArgs unreadable(String annotation, String what) {
    return new NodeArgs(annotation, List.of(), List.of(), List.of(), Map.of(),
        "annotation " + annotation + " " + what + "; its address flags (--node-ip, --advertise-address) cannot be told");
  }

  /** The address flags of an argument list such as {@code ["server", "--node-ip", "192.168.1.30"]}. */
  public static NodeArgs fromArgs(String annotation, List<String> args) {
    List<String> nodeIps = new ArrayList<>();
    List<String> advertise = new ArrayList<>();
    List<String> external = new ArrayList<>();
    Map<String, List<String>> etcd = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      String flag = eq < 0 ? arg : arg.substring(0, eq);
      List<String> target = switch (flag) {
        case "--node-ip", "-i" -> nodeIps;
        case "--advertise-address" -> advertise;
        case "--node-external-ip" -> external;
        default -> null;
      };
      boolean etcdArg = "--etcd-arg".equals(flag);
      if (target == null && !etcdArg) {
        continue;
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        continue;
      }
      if (etcdArg) {
        keepEtcdUrl(value, etcd);
      } else {
        target.addAll(commaList(value));
      }
    }
    return new NodeArgs(annotation, nodeIps, advertise, external, etcd, null);
  }

  private static void keepEtcdUrl(String etcdArg, Map<String, List<String>> out) {
    String arg = etcdArg.startsWith("--") ? etcdArg.substring(2) : etcdArg;
    int eq = arg.indexOf('=');
    if (eq < 0) {
      return;
    }
    String name = arg.substring(0, eq);
    if (ETCD_URL_FLAGS.contains(name)) {
      out.computeIfAbsent(name, k -> new ArrayList<>()).addAll(commaList(arg.substring(eq + 1)));
    }
  }

  private static List<String> commaList(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        out.add(trimmed);
      }
    }
    return out;
  }

  public boolean present() {
    return annotation != null;
  }

  public boolean readable() {
    return problem == null;
  }

  /** The server pins its node address ({@code --node-ip}): K3s/RKE2 do not re-detect it at start. */
  public boolean nodeIpPinned() {
    return !nodeIps.isEmpty();
  }

  public boolean isRke2() {
    return "rke2.io/node-args".equals(annotation);
  }

  /**
   * The annotation value a slim Node keeps: only the address flags, as a JSON array that reads back to this
   * record; for an unreadable annotation a stand-in that reads back to the same problem.
   */
  public String slimAnnotationValue() {
    if (!present()) {
      return null;
    }
    if (problem != null) {
      return problem.contains("is not JSON;") ? NOT_JSON : NOT_AN_ARRAY;
    }
    List<String> args = new ArrayList<>();
    nodeIps.forEach(v -> args.add("--node-ip=" + v));
    advertiseAddresses.forEach(v -> args.add("--advertise-address=" + v));
    nodeExternalIps.forEach(v -> args.add("--node-external-ip=" + v));
    etcdUrls.forEach((name, urls) -> urls.forEach(u -> args.add("--etcd-arg=" + name + "=" + u)));
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartArray();
      for (String arg : args) {
        g.writeString(arg);
      }
      g.writeEndArray();
    }
    return out.toString();
  }
}
