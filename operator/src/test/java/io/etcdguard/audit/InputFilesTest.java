package io.etcdguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.etcd.MemberListing;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming readers: what they keep, the formats they accept and the inputs they refuse. */
class InputFilesTest {
  static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../docs/examples"));

  @TempDir Path tmp;

  @Test
  void nodesKeepOnlyWhatClassificationNeeds() throws Exception {
    List<NodeInfo> nodes = InputFiles.readNodes(EXAMPLES.resolve("seed-nodes.json"));
    assertThat(nodes).extracting(NodeInfo::name).containsExactly("k3s-1", "losangeles", "k3s-2", "worker-1");
    NodeInfo losangeles = nodes.get(1);
    assertThat(losangeles.internalIPs()).containsExactly("192.168.1.30");
    assertThat(losangeles.otherAddresses()).isEmpty();
    assertThat(losangeles.labels()).containsEntry("node-role.kubernetes.io/etcd", "true").hasSize(4);
    // k3s.io/node-args is kept only as its address flags (here none: the incident's unpinned server).
    assertThat(losangeles.annotations()).containsOnly(
        Map.entry("etcd.k3s.cattle.io/node-address", "192.168.1.30"), Map.entry("etcd.k3s.cattle.io/node-name", "losangeles-0ac72af5"),
        Map.entry("k3s.io/node-args", "[]"));
    assertThat(losangeles.nodeArgs().present()).isTrue();
    assertThat(losangeles.nodeArgs().nodeIpPinned()).isFalse();
    assertThat(nodes).extracting(NodeInfo::ready).as("Ready=True for the servers; worker-1 lists no conditions")
        .containsExactly(true, true, true, null);
  }

  @Test
  void theReadyConditionIsReadTrueFalseOrUnknownAndTheOtherConditionsAreSkipped() throws Exception {
    Path nodes = write("nodes.json", """
        {"kind": "List", "items": [
          {"kind": "Node", "metadata": {"name": "up"}, "status": {"conditions": [
            {"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True", "reason": "KubeletReady"}]}},
          {"kind": "Node", "metadata": {"name": "rebooted"}, "status": {"conditions": [
            {"lastHeartbeatTime": "2026-11-30T12:00:00Z", "status": "False", "type": "Ready", "reason": "KubeletNotReady"},
            {"type": "DiskPressure", "status": "True"}]}},
          {"kind": "Node", "metadata": {"name": "unreachable"}, "status": {"conditions": [
            {"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown"}]}},
          {"kind": "Node", "metadata": {"name": "none"}, "status": {"conditions": null}},
          {"kind": "Node", "metadata": {"name": "bare"}}
        ]}
        """);
    assertThat(InputFiles.readNodes(nodes)).extracting(NodeInfo::name, NodeInfo::ready).containsExactly(
        org.assertj.core.groups.Tuple.tuple("up", true), org.assertj.core.groups.Tuple.tuple("rebooted", false),
        org.assertj.core.groups.Tuple.tuple("unreachable", null), org.assertj.core.groups.Tuple.tuple("none", null),
        org.assertj.core.groups.Tuple.tuple("bare", null));
  }

  @Test
  void aConditionOfTheWrongShapeNamesItsField() throws IOException {
    Path nodes = write("nodes.json", "{\"kind\":\"List\",\"items\":[{\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"},"
        + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":{\"x\":1}}]}}]}");
    assertThatThrownBy(() -> InputFiles.readNodes(nodes)).hasMessage(nodes + ": items[0].status.conditions[0].status: expected a string, found an object");
  }

  @Test
  void kubectlYamlOfANodeListIsReadTheSameAsJson() throws Exception {
    Path yaml = write("nodes.yaml", """
        apiVersion: v1
        items:
        - apiVersion: v1
          kind: Node
          metadata:
            annotations:
              etcd.rke2.cattle.io/node-name: cp-1-1a2b3c4d
              rke2.io/node-args: '["server"]'
            labels:
              node-role.kubernetes.io/etcd: "true"
              unquoted: true
            name: cp-1
          status:
            addresses:
            - address: 10.0.0.5
              type: InternalIP
            - address: 203.0.113.5
              type: ExternalIP
            - address: cp-1
              type: Hostname
            images:
            - names: [a, b]
              sizeBytes: 12
        kind: List
        metadata:
          resourceVersion: ""
        """);
    List<NodeInfo> nodes = InputFiles.readNodes(yaml);
    assertThat(nodes).containsExactly(new NodeInfo("cp-1", Map.of("node-role.kubernetes.io/etcd", "true", "unquoted", "true"),
        Map.of("etcd.rke2.cattle.io/node-name", "cp-1-1a2b3c4d", "rke2.io/node-args", "[]"), List.of("10.0.0.5"), List.of("203.0.113.5")));
  }

  @Test
  void aSingleNodeIsAcceptedWhateverTheFieldOrder() throws Exception {
    Path node = write("node.json", "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.0.0.9\"}]},"
        + "\"metadata\":{\"name\":\"n9\"},\"kind\":\"Node\"}");
    assertThat(InputFiles.readNodes(node)).containsExactly(new NodeInfo("n9", Map.of(), Map.of(), List.of("10.0.0.9"), List.of()));
  }

  @Test
  void yamlFarAboveSnakeYamlsDefaultThreeMiBLimitIsRead() throws Exception {
    StringBuilder sb = new StringBuilder("kind: List\nitems:\n");
    int count = 0;
    while (sb.length() < 5 * 1024 * 1024) {
      sb.append("- kind: Node\n  metadata:\n    name: n").append(count++).append("\n    labels: {filler: '")
          .append("x".repeat(60)).append("'}\n  status:\n    images:\n");
      for (int i = 0; i < 10; i++) {
        sb.append("    - names: [registry.example/image-").append(i).append("@sha256:").append("ab".repeat(32)).append("]\n");
      }
    }
    Path yaml = write("big.yaml", sb.toString());
    assertThat(InputFiles.readNodes(yaml)).hasSize(count);
  }

  @Test
  void memberFileFromEtcdctlHexIsRead() throws Exception {
    Path members = write("members-hex.json", "{\"header\":{\"cluster_id\":\"ef37ad9dc622a7c4\",\"member_id\":\"8211f1d0f64f3269\"},"
        + "\"members\":[{\"ID\":\"8211f1d0f64f3269\",\"name\":\"k3s-1-b2495bc5\",\"peerURLs\":[\"https://192.168.1.31:2380\"],"
        + "\"clientURLs\":[\"https://192.168.1.31:2379\"]},{\"ID\":\"1234\",\"name\":\"m2\",\"peerURLs\":[],\"isLearner\":true}]}");
    MemberListing listing = InputFiles.readMembers(members);
    assertThat(Long.toHexString(listing.clusterId())).isEqualTo("ef37ad9dc622a7c4");
    assertThat(listing.members()).extracting(EtcdMember::idHex).containsExactly("8211f1d0f64f3269", "1234");
    assertThat(listing.members().get(1).learner()).isTrue();
  }

  @Test
  void memberFileFromEtcdsJsonGatewayIsReadAsDecimal() throws Exception {
    Path members = write("members-gateway.json", "{\"header\":{\"cluster_id\":\"17237436991929493444\",\"member_id\":"
        + "\"9372538179322589801\",\"raft_term\":\"2\"},\"members\":[{\"ID\":\"9372538179322589801\",\"name\":\"a\","
        + "\"peerURLs\":[\"https://192.168.1.31:2380\"]},{\"ID\":\"1234\",\"name\":\"b\"}]}");
    MemberListing listing = InputFiles.readMembers(members);
    assertThat(listing.members()).extracting(EtcdMember::id).containsExactly(Long.parseUnsignedLong("9372538179322589801"), 1234L);
  }

  @Test
  void lonelyDecimalLookingStringIdIsRefusedClearly() throws IOException {
    Path members = write("members.json", "{\"members\":[{\"ID\":\"1234\",\"name\":\"a\",\"peerURLs\":[]}]}");
    assertThatThrownBy(() -> InputFiles.readMembers(members)).isInstanceOf(InputException.class)
        .hasMessage(members + ": members[0].ID: \"1234\" is ambiguous (decimal or hex?); no other ID in the file tells: "
            + "write it as a JSON number for decimal or as \"0x1234\" for hex");
  }

  @Test
  void devZeroIsRefusedBeforeReading() {
    assertThatThrownBy(() -> InputFiles.readNodes(Path.of("/dev/zero"))).isInstanceOf(InputException.class)
        .hasMessage("/dev/zero: not a regular file (a directory, device or pipe); save the output to a file first");
  }

  @Test
  void namedPipeIsRefusedWithoutBlockingOnIt() throws Exception {
    Path fifo = tmp.resolve("nodes.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThatThrownBy(() -> InputFiles.readNodes(fifo)).isInstanceOf(InputException.class)
        .hasMessage(fifo + ": not a regular file (a directory, device or pipe); save the output to a file first");
  }

  @Test
  void standardInputIsRefusedClearly() {
    assertThatThrownBy(() -> InputFiles.readNodes(Path.of("-"))).isInstanceOf(InputException.class)
        .hasMessage("-: reading standard input is not supported; save the output to a file first");
  }

  @Test
  void directoryIsRefused() {
    assertThatThrownBy(() -> InputFiles.readMembers(tmp)).isInstanceOf(InputException.class)
        .hasMessageContaining(tmp + ": not a regular file");
  }

  @Test
  void fileAboveTheBoundIsRefusedWithoutReadingIt() throws IOException {
    Path huge = tmp.resolve("huge.json");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(InputFiles.MAX_FILE_BYTES + 1); // sparse: no disk, no time
    }
    assertThatThrownBy(() -> InputFiles.readNodes(huge)).isInstanceOf(InputException.class)
        .hasMessage(huge + ": 256.0 MiB is above the input limit of 256 MiB");
  }

  @Test
  void binaryFileNamesTheFirstInvalidByte() throws IOException {
    Path binary = tmp.resolve("binary");
    Files.write(binary, new byte[] {'{', ' ', (byte) 0xC3, (byte) 0x28, 0, 1, 2});
    assertThatThrownBy(() -> InputFiles.readMembers(binary)).isInstanceOf(InputException.class)
        .hasMessage(binary + ": not JSON or YAML text: invalid UTF-8 at byte 2");
  }

  @Test
  void invalidUtf8FarIntoAYamlFileIsFoundAtItsOffset() throws IOException {
    Path file = tmp.resolve("late.yaml");
    byte[] text = ("kind: List\nitems: []\npad: '" + "x".repeat(200_000) + "'\n").getBytes(StandardCharsets.UTF_8);
    text[150_000] = (byte) 0xFF;
    Files.write(file, text);
    assertThatThrownBy(() -> InputFiles.readNodes(file)).hasMessage(file + ": not JSON or YAML text: invalid UTF-8 at byte 150000");
  }

  @Test
  void invalidUtf8InAKeptJsonValueFarIntoTheFileIsMalformedJson() throws IOException {
    Path file = tmp.resolve("late.json");
    String head = "{\"kind\":\"List\",\"pad\":\"" + "x".repeat(100_000) + "\",\"items\":[{\"kind\":\"Node\",\"metadata\":{\"name\":\"a";
    byte[] text = (head + "?\"}}]}").getBytes(StandardCharsets.UTF_8);
    text[head.length()] = (byte) 0xFF;
    Files.write(file, text);
    assertThatThrownBy(() -> InputFiles.readNodes(file)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ": malformed JSON at line 1, column ").hasMessageContaining("Invalid UTF-8");
  }

  @Test
  void deepNestingIsRefusedAsBeyondTheLimits() throws IOException {
    Path deep = write("deep.json", "{\"kind\":\"List\",\"pad\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"items\":[]}");
    assertThatThrownBy(() -> InputFiles.readNodes(deep)).isInstanceOf(InputException.class)
        .hasMessage(deep + ": JSON beyond the input limits: Document nesting depth (201) exceeds the maximum allowed (200)");
  }

  @Test
  void secondDocumentIsRefused() throws IOException {
    Path two = write("two.yaml", "kind: Node\nmetadata: {name: a}\n---\nkind: Node\nmetadata: {name: b}\n");
    assertThatThrownBy(() -> InputFiles.readNodes(two)).hasMessageContaining("more than one document");
  }

  @Test
  void wrongTypesNameTheField() throws IOException {
    Path nodes = write("nodes.json", "{\"kind\":\"List\",\"items\":[{\"kind\":\"Node\",\"metadata\":{\"name\":\"a\","
        + "\"labels\":{\"x\":{\"y\":1}}}}]}");
    assertThatThrownBy(() -> InputFiles.readNodes(nodes)).hasMessage(nodes + ": items[0].metadata.labels.x: expected a string, found an object");
    Path members = write("members.json", "{\"members\":[{\"ID\":1,\"isLearner\":\"yes\"}]}");
    assertThatThrownBy(() -> InputFiles.readMembers(members)).hasMessage(members + ": members[0].isLearner: expected true or false, found \"yes\"");
  }

  @Test
  void readmeStatesTheLimitsTheCodeEnforces() throws IOException {
    String readme = Files.readString(EXAMPLES.resolve("../../README.md"));
    assertThat(readme).contains("at most **" + InputFiles.mib(InputFiles.MAX_FILE_BYTES) + "** of UTF-8 text")
        .contains("nested at most **" + InputFiles.MAX_NESTING_DEPTH + "** levels deep");
  }

  private Path write(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
