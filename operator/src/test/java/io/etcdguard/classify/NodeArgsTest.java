package io.etcdguard.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Table: an annotation value -> the address flags kept (node-ip / advertise-address / node-external-ip / etcd URLs) or the problem. */
class NodeArgsTest {
  static final String K3S = "k3s.io/node-args";

  static Stream<Arguments> table() {
    return Stream.of(
        row("the incident: no address flag", "[\"server\",\"--cluster-init\",\"--disable\",\"traefik\"]", List.of(), List.of(), List.of(), Map.of()),
        row("flag and value as two elements", "[\"server\",\"--node-ip\",\"192.168.56.10\",\"--flannel-iface\",\"enp0s8\"]",
            List.of("192.168.56.10"), List.of(), List.of(), Map.of()),
        row("flag=value", "[\"server\",\"--node-ip=192.168.1.30\"]", List.of("192.168.1.30"), List.of(), List.of(), Map.of()),
        row("short alias -i", "[\"server\",\"-i\",\"10.0.0.1\"]", List.of("10.0.0.1"), List.of(), List.of(), Map.of()),
        row("comma list (dual stack)", "[\"server\",\"--node-ip\",\"192.168.1.30,fd00:c0ff:ee::1e\"]",
            List.of("192.168.1.30", "fd00:c0ff:ee::1e"), List.of(), List.of(), Map.of()),
        row("repeated flag", "[\"--node-ip\",\"10.0.0.1\",\"--node-ip=fd00::1\"]", List.of("10.0.0.1", "fd00::1"), List.of(), List.of(), Map.of()),
        row("advertise and external", "[\"--advertise-address\",\"10.0.0.1\",\"--node-external-ip=203.0.113.5\"]",
            List.of(), List.of("10.0.0.1"), List.of("203.0.113.5"), Map.of()),
        row("etcd-arg URLs in both spellings, other etcd args dropped",
            "[\"--etcd-arg\",\"listen-peer-urls=https://10.0.0.1:2380\",\"--etcd-arg=--initial-advertise-peer-urls=https://10.0.0.1:2380,https://10.0.0.2:2380\","
                + "\"--etcd-arg\",\"heartbeat-interval=500\"]",
            List.of(), List.of(), List.of(),
            Map.of("listen-peer-urls", List.of("https://10.0.0.1:2380"),
                "initial-advertise-peer-urls", List.of("https://10.0.0.1:2380", "https://10.0.0.2:2380"))),
        row("sensitive flags never kept", "[\"server\",\"--token\",\"K10secret\",\"--node-ip\",\"10.0.0.1\",\"--datastore-endpoint=postgres://u:p@h\"]",
            List.of("10.0.0.1"), List.of(), List.of(), Map.of()),
        row("a flag without value at the end", "[\"server\",\"--node-ip\"]", List.of(), List.of(), List.of(), Map.of()),
        row("empty array", "[]", List.of(), List.of(), List.of(), Map.of()));
  }

  static Arguments row(String name, String json, List<String> nodeIps, List<String> advertise, List<String> external,
      Map<String, List<String>> etcd) {
    return Arguments.of(name, json, nodeIps, advertise, external, etcd);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void keepsOnlyTheAddressFlags(String name, String json, List<String> nodeIps, List<String> advertise, List<String> external,
      Map<String, List<String>> etcd) {
    NodeArgs args = NodeArgs.parse(K3S, json);
    assertThat(args.problem()).isNull();
    assertThat(args.nodeIps()).containsExactlyElementsOf(nodeIps);
    assertThat(args.advertiseAddresses()).containsExactlyElementsOf(advertise);
    assertThat(args.nodeExternalIps()).containsExactlyElementsOf(external);
    assertThat(args.etcdUrls()).isEqualTo(etcd);
    assertThat(args.nodeIpPinned()).isEqualTo(!nodeIps.isEmpty());
    // the slim value reads back to the same flags and holds nothing else
    assertThat(NodeArgs.parse(K3S, args.slimAnnotationValue())).isEqualTo(args);
    assertThat(args.slimAnnotationValue()).doesNotContain("secret", "postgres", "server", "traefik", "heartbeat");
  }

  static Stream<Arguments> unreadable() {
    return Stream.of(
        Arguments.of("[\"server\", \"--node-ip", "is not JSON"),
        Arguments.of("--node-ip 10.0.0.1", "is not JSON"),
        Arguments.of("{\"node-ip\":\"10.0.0.1\"}", "is not a JSON array of strings"),
        Arguments.of("[\"--node-ip\", 10]", "is not a JSON array of strings"),
        Arguments.of("\"server\"", "is not a JSON array of strings"),
        Arguments.of("", "is not"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void badJsonIsAProblemNamingTheAnnotationNeverAnException(String json, String expected) {
    NodeArgs args = NodeArgs.parse(K3S, json);
    assertThat(args.readable()).isFalse();
    assertThat(args.problem()).startsWith("annotation k3s.io/node-args ").contains(expected);
    assertThat(args.nodeIpPinned()).isFalse();
    assertThat(NodeArgs.parse(K3S, args.slimAnnotationValue())).as("slim stand-in reads back to the same problem").isEqualTo(args);
  }

  @Test
  void rke2WinsOverK3sAndNoAnnotationIsAbsent() {
    NodeArgs args = NodeArgs.fromAnnotations(Map.of(K3S, "[\"--node-ip\",\"1.1.1.1\"]", "rke2.io/node-args", "[\"--node-ip\",\"10.0.0.2\"]"));
    assertThat(args.isRke2()).isTrue();
    assertThat(args.nodeIps()).containsExactly("10.0.0.2");
    assertThat(NodeArgs.fromAnnotations(Map.of())).isEqualTo(NodeArgs.ABSENT);
    assertThat(NodeArgs.ABSENT.present()).isFalse();
  }

  @Test
  void nodeInfoKeepsOnlyTheAddressFlagsOfTheAnnotation() {
    NodeInfo node = new NodeInfo("n", Map.of(), Map.of(K3S, "[\"server\",\"--token\",\"K10secret\",\"--node-ip\",\"10.0.0.1\"]"),
        List.of("10.0.0.1"), List.of());
    assertThat(node.annotations().get(K3S)).isEqualTo("[\"--node-ip=10.0.0.1\"]");
    assertThat(node.nodeArgs().nodeIps()).containsExactly("10.0.0.1");
    assertThat(new NodeInfo("n", Map.of(), node.annotations(), List.of("10.0.0.1"), List.of())).isEqualTo(node);
  }

  /**
   * The streaming read gives the verdict a whole-document tree parse gives (the reference: Jackson's
   * {@code readTree}, as NodeArgs read the annotation before): malformed anywhere, even after a non-string
   * element or after the value, is "not JSON"; well-formed but not a flat array of strings is the other problem.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[]", "[\"--node-ip\",\"10.0.0.1\"]", " [ \"a\" , \"b\" ] ", "[\"a\"] [\"b\"]", "[\"a\"] x",
      "[\"a\"],", "[1, {\"a\": [", "[1, \"a\"]", "[[\"--node-ip\"], \"10.0.0.1\"]", "[null]", "[true]", "{}", "{\"a\":1} x",
      "null", "1", "\"--node-ip\"", "", "   ", "[", "]", "[\"a\",]", "[\"\\u00e9\\n\"]", "[\"a\" \"b\"]", "{\"a\"}", "/* c */ []"})
  void readsAsAWholeDocumentTreeParseDoes(String json) {
    assertThat(NodeArgs.parse(K3S, json)).isEqualTo(treeParse(json));
  }

  private static NodeArgs treeParse(String json) {
    String notJson = "annotation " + K3S + " is not JSON; its address flags (--node-ip, --advertise-address) cannot be told";
    String notArray = "annotation " + K3S + " is not a JSON array of strings; its address flags (--node-ip, --advertise-address) cannot be told";
    JsonNode root;
    try {
      root = JsonMapper.builder().build().readTree(json);
    } catch (JacksonException e) {
      return new NodeArgs(K3S, List.of(), List.of(), List.of(), Map.of(), notJson);
    }
    if (root == null || !root.isArray()) {
      return new NodeArgs(K3S, List.of(), List.of(), List.of(), Map.of(), notArray);
    }
    List<String> args = new java.util.ArrayList<>();
    for (JsonNode element : root) {
      if (!element.isString()) {
        return new NodeArgs(K3S, List.of(), List.of(), List.of(), Map.of(), notArray);
      }
      args.add(element.asString());
    }
    return NodeArgs.fromArgs(K3S, args);
  }
}
