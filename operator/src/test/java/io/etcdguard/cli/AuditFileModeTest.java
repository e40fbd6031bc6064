package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit CLI on files: exit codes, the JSON contract and one-line errors. */
class AuditFileModeTest {
  static final Path EXAMPLES = Fixtures.examples();
  static final Path TEMPORARY = EXAMPLES.resolve("seed-members-temporary-ipv6.json");
  static final Path REGISTERED = EXAMPLES.resolve("seed-members-registered.json");
  static final Path NODES = EXAMPLES.resolve("seed-nodes.json");
  static final Path POLICY = EXAMPLES.resolve("policy-k3s-ipv4.yaml");

  @TempDir Path tmp;

  static CliRun audit(String... args) {
    return CliRun.command("audit", args);
  }

  @Test
  void seedClusterAsRegisteredComplies() {
    CliRun run = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "-o", "json");
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    JsonNode json = JsonMapper.shared().readTree(run.out());
    assertThat(json.get("summary").get("compliant").asBoolean()).isTrue();
    assertThat(json.get("summary").get("members").asInt()).isEqualTo(3);
  }

  @Test
  void seedTemporaryIpv6MemberIsReportedInTheJsonContract() {
    CliRun run = audit("--members", TEMPORARY.toString(), "--nodes", NODES.toString(), "-o", "json");
    assertThat(run.exit()).isEqualTo(1);

    JsonNode json = JsonMapper.shared().readTree(run.out());
    assertThat(json.propertyNames()).containsExactly("clusterID", "members", "summary", "nodesAtRisk", "restartSafe");
    assertThat(json.get("clusterID").asString()).isEqualTo(new BigInteger("17237436991929493444").toString(16));
    assertThat(json.get("summary").get("violations").asInt()).isEqualTo(1);
    assertThat(json.get("summary").get("compliant").asBoolean()).isFalse();

    JsonNode losangeles = json.get("members").get(1);
    assertThat(losangeles.propertyNames())
        .containsExactly("id", "name", "node", "matchedBy", "peerURLs", "clientURLs", "isLearner", "compliant", "primaryReason",
            "reasons", "fix");
    assertThat(losangeles.get("matchedBy").asString()).isEqualTo("annotation");
    assertThat(losangeles.get("primaryReason").asString()).isEqualTo("TemporaryIPv6Address");
    assertThat(losangeles.get("fix").propertyNames()).containsExactly("text", "steps", "preconditions");
    assertThat(losangeles.get("fix").get("steps").toString()).contains("node-ip: 192.168.1.30",
        "etcdctl member update 91bc3c398fb3c146 --peer-urls=https://192.168.1.30:2380");
    assertThat(json.get("members").get(0).has("fix")).as("compliant: no fix").isFalse();
    assertThat(json.get("members").get(0).has("primaryReason")).isFalse();
    assertThat(losangeles.get("id").asString()).isEqualTo(new BigInteger("10501334649042878790").toString(16));
    assertThat(losangeles.get("name").asString()).isEqualTo("losangeles-0ac72af5");
    assertThat(losangeles.get("node").asString()).isEqualTo("losangeles");
    assertThat(losangeles.get("isLearner").asBoolean()).isFalse();
    assertThat(losangeles.get("compliant").asBoolean()).isFalse();
    List<String> reasons = new ArrayList<>();
    losangeles.get("reasons").forEach(r -> {
      assertThat(r.propertyNames()).containsExactly("reason", "confidence", "address", "message");
      reasons.add(r.get("reason").asString() + "/" + r.get("confidence").asString() + "/" + r.get("address").asString());
    });
    assertThat(reasons).as("evidence, primary reason first").containsExactly(
        "TemporaryIPv6Address/Suspected/fd00:c0ff:ee:0:da69:8213:dd0b:aac3",
        "AddressFamilyMismatch/Confirmed/fd00:c0ff:ee:0:da69:8213:dd0b:aac3",
        "NotNodeInternalIP/Confirmed/fd00:c0ff:ee:0:da69:8213:dd0b:aac3");
    assertThat(json.get("members").get(0).get("compliant").asBoolean()).isTrue();
    assertThat(json.get("members").get(0).get("reasons").isEmpty()).isTrue();
  }

  @Test
  void tableNamesTheMemberAndTheFix() {
    CliRun run = audit("--members", TEMPORARY.toString(), "--nodes", NODES.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("MEMBER", "losangeles-0ac72af5", "TemporaryIPv6Address?", "1 of 3 members do not comply",
        "etcdctl member update 91bc3c398fb3c146 --peer-urls=https://192.168.1.30:2380", "Before=k3s.service");
  }

  @Test
  void theExamplePolicyAcceptsTheRegisteredCluster() {
    CliRun ok = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--policy", POLICY.toString(), "-o", "json");
    assertThat(ok.exit()).as(ok.err()).isEqualTo(0);
  }

  @Test
  void policyFileRulesChangeTheVerdict() throws IOException {
    // The same compliant cluster, once under the default rules and once under a policy whose CIDRs it is
    // outside of: if --policy were read but its rules ignored, the second run would pass too.
    CliRun defaults = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString());
    assertThat(defaults.exit()).as(defaults.err()).isEqualTo(0);

    Path policy = write("cidrs.yaml", """
        apiVersion: etcdguard.io/v1alpha1
        kind: NodeAddressPolicy
        metadata: {name: p}
        spec:
          addressFamily: IPv4
          allowedCIDRs: ["10.0.0.0/8"]
        """);
    CliRun narrowed = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--policy", policy.toString());
    assertThat(narrowed.exit()).as(narrowed.err()).isEqualTo(1);
    assertThat(narrowed.out()).contains("OutsideAllowedCIDRs", "3 of 3 members do not comply");
  }

  @Test
  void inFileModeAPolicyWithHttpsEndpointsAndNoTlsWorks() throws IOException {
    // File mode never contacts etcd: spec.etcd is not used, so it is not validated.
    Path policy = write("https-no-tls.yaml", """
        apiVersion: etcdguard.io/v1alpha1
        kind: NodeAddressPolicy
        metadata: {name: p}
        spec:
          etcd: {endpoints: ["https://127.0.0.1:2379"]}
          addressFamily: IPv4
        """);
    CliRun run = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--policy", policy.toString(), "-o", "json");
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    // Nodes that pin their address: nothing at risk at a restart either, so plan has nothing to do.
    Path pinned = write("nodes-pinned.json", PlanFileModeTest.pinNodeIps(Files.readString(NODES)));
    CliRun plan = PlanFileModeTest.plan("--members", REGISTERED.toString(), "--nodes", pinned.toString(), "--policy", policy.toString());
    assertThat(plan.exit()).as(plan.err()).isEqualTo(0);
    assertThat(plan.out()).isEqualTo("Nothing to do: all 3 members comply.\n");
  }

  @Test
  void inFileModeNodesOutsideAPolicySelectorAreIgnored() throws IOException {
    Path policy = write("p.yaml", """
        apiVersion: etcdguard.io/v1alpha1
        kind: NodeAddressPolicy
        metadata: {name: p}
        spec:
          nodeSelector: {matchLabels: {role: none-such}}
        """);
    CliRun run = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--policy", policy.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("NoMatchingNode");
    assertThat(run.err()).contains("no Node matched the node selector role=none-such (of 4 Nodes)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON                 | {\"members\": [ | malformed JSON at line 1",
      "no members array               | {\"header\": {}} | array not found",
      "negative ID                    | {\"members\":[{\"ID\":-5,\"name\":\"a\",\"peerURLs\":[]}]} | members[0].ID: -5 is outside the unsigned 64-bit range",
      "ID too large                   | {\"members\":[{\"ID\":18446744073709551616,\"peerURLs\":[]}]} | members[0].ID: 18446744073709551616 is outside",
      "peerURLs not a list            | {\"members\":[{\"ID\":1,\"name\":\"a\",\"peerURLs\":\"https://x:2380\"}]} | members[0].peerURLs: expected a list",
      "empty file                     | '' | empty file"})
  void malformedMembersFileExitsTwoWithOneLineNamingFileAndField(String title, String content, String expected) throws IOException {
    Path members = write("members.json", content);
    CliRun run = audit("--members", members.toString(), "--nodes", NODES.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("error: " + members).contains(expected).doesNotContain("\tat ", "Exception");
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "misspelt field      | adressFamily: IPv4              | spec.adressFamily: unknown field",
      "bad enum value      | addressFamily: IPv5             | spec.addressFamily",
      "bad CIDR            | allowedCIDRs: [192.168.1.0/33]  | spec.allowedCIDRs[0]",
      "interval too short  | checkInterval: 2s               | spec.checkInterval: '2s' is below the minimum of 5s",
      "interval no unit    | checkInterval: '30'             | spec.checkInterval: '30' is not a duration"})
  void badPolicyFileIsRejectedNamingTheField(String title, String specLine, String expected) throws IOException {
    Path policy = write("policy.yaml", "apiVersion: etcdguard.io/v1alpha1\nkind: NodeAddressPolicy\nmetadata: {name: p}\nspec:\n  "
        + specLine + "\n");
    CliRun run = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--policy", policy.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(policy.toString()).contains(expected).doesNotContain("\tat ");
  }

  @Test
  void nodesFileThatIsNotNodesIsRejected() throws IOException {
    Path nodes = write("nodes.json", "{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}]}");
    CliRun run = audit("--members", REGISTERED.toString(), "--nodes", nodes.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(nodes + ": items[0].kind: 'Pod' is not a Node");
  }

  @Test
  void missingFileIsNamed() {
    CliRun run = audit("--members", tmp.resolve("nope.json").toString(), "--nodes", NODES.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("nope.json: no such file");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(audit("--nodes", NODES.toString()).exit()).isEqualTo(2);
    CliRun both = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--kubeconfig", "/x");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "-o", "yaml").exit()).isEqualTo(2);
  }

  @Test
  void usageErrorIsOneLineAndAPointerToHelpForEverySubcommand() {
    CommandLine cli = Main.commandLine();
    for (String sub : cli.getSubcommands().keySet()) {
      if (sub.equals("help")) {
        continue;
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      assertThat(cli.execute(sub, "--no-such-option")).as(sub).isEqualTo(2);
      // picocli names the first problem it finds: the unknown option, or missing required options before it.
      List<String> lines = err.toString().lines().toList();
      assertThat(lines).as(sub).hasSize(2);
      assertThat(lines.get(0)).as(sub).matches("error: (Unknown option: '--no-such-option'|Missing required option.*)");
      assertThat(lines.get(1)).as(sub).isEqualTo("try 'etcd-address-guard " + sub + " --help'");
      assertThat(out.toString()).as(sub).isEmpty();
    }
  }

  @Test
  void binaryFileIsOneLineNamingTheByte() throws IOException {
    Path binary = tmp.resolve("members.bin");
    Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a});
    CliRun run = audit("--members", binary.toString(), "--nodes", NODES.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("error: " + binary + ": not JSON or YAML text: invalid UTF-8 at byte 0\n");
  }

  @Test
  void devZeroIsExitTwoNotOutOfMemory() {
    CliRun run = audit("--members", REGISTERED.toString(), "--nodes", "/dev/zero");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("error: /dev/zero: not a regular file (a directory, device or pipe); save the output to a file first\n");
  }

  @Test
  void everySubcommandHasHelp() {
    CommandLine cli = Main.commandLine();
    for (String sub : cli.getSubcommands().keySet()) {
      StringWriter out = new StringWriter();
      cli.setOut(new PrintWriter(out));
      assertThat(cli.execute(sub, "--help")).as(sub).isEqualTo(0);
      assertThat(out.toString()).as(sub).contains("Usage:");
    }
  }

  /** The seed's Nodes file with the servers' InternalIPs (and their K3s address annotations) moved. */
  @Test
  void aNotReadyNodeAloneRaisesNothingInFileModeForFilesCarryNoMemberHealth() throws IOException {
    // MemberDownNodeNotReady needs the member's own health, which only a live check asks: files cannot prove it down.
    Path nodes = write("nodes.json", withNotReady(Files.readString(NODES), "losangeles"));
    CliRun run = audit("--members", REGISTERED.toString(), "--nodes", nodes.toString(), "-o", "json");
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    JsonNode json = JsonMapper.shared().readTree(run.out());
    assertThat(json.get("summary").get("compliant").asBoolean()).isTrue();
    assertThat(json.get("summary").has("quorum")).isFalse();
    assertThat(run.out()).doesNotContain("MemberDownNodeNotReady");
  }

  /**
   * Node-args are read only for the Nodes of etcd members: an unreadable annotation on a Node that runs no member
   * (worker-1) changes nothing in the audit, on the Node of a member (losangeles) it is NodeArgsUnreadable.
   */
  @ParameterizedTest(name = "-o {0}")
  @CsvSource({"table", "json"})
  void unreadableNodeArgsMatterOnlyOnTheNodeOfAMember(String output) throws IOException {
    String seed = Files.readString(NODES);
    CliRun without = audit("--members", REGISTERED.toString(), "--nodes", write("plain.json", seed).toString(), "-o", output);
    Path badOnWorker = write("worker.json", withAnnotation(seed, "worker-1", "k3s.io/node-args", "[\"agent\", --token"));
    CliRun withBadOnWorker = audit("--members", REGISTERED.toString(), "--nodes", badOnWorker.toString(), "-o", output);
    assertThat(withBadOnWorker.exit()).as(withBadOnWorker.err()).isEqualTo(without.exit()).isEqualTo(0);
    assertThat(withBadOnWorker.out()).isEqualTo(without.out()).doesNotContain("NodeArgsUnreadable");
    assertThat(withBadOnWorker.err()).isEqualTo(without.err());

    Path badOnMember = write("member.json", withAnnotation(seed, "losangeles", "k3s.io/node-args", "[\"server\", --token"));
    CliRun withBadOnMember = audit("--members", REGISTERED.toString(), "--nodes", badOnMember.toString(), "-o", output);
    assertThat(withBadOnMember.exit()).as(withBadOnMember.err()).isEqualTo(0);
    assertThat(withBadOnMember.out()).contains("NodeArgsUnreadable").contains("annotation k3s.io/node-args is not JSON")
        .doesNotContain("--token");
  }

  /** The kubectl Node list with an annotation set on the named Node. */
  static String withAnnotation(String nodeList, String nodeName, String key, String value) {
    tools.jackson.databind.node.ObjectNode list = (tools.jackson.databind.node.ObjectNode) JsonMapper.shared().readTree(nodeList);
    boolean found = false;
    for (JsonNode item : list.get("items")) {
      tools.jackson.databind.node.ObjectNode metadata = (tools.jackson.databind.node.ObjectNode) item.get("metadata");
      if (metadata.get("name").asString().equals(nodeName)) {
        metadata.withObjectProperty("annotations").put(key, value);
        found = true;
      }
    }
    assertThat(found).as("node " + nodeName).isTrue();
    return list.toString();
  }

  /** The kubectl Node list with the named Node's Ready condition turned False, as after a reboot that did not rejoin. */
  static String withNotReady(String nodeList, String nodeName) {
    tools.jackson.databind.node.ObjectNode list = (tools.jackson.databind.node.ObjectNode) JsonMapper.shared().readTree(nodeList);
    boolean found = false;
    for (JsonNode item : list.get("items")) {
      if (item.get("metadata").get("name").asString().equals(nodeName)) {
        for (JsonNode condition : item.get("status").get("conditions")) {
          if (condition.get("type").asString().equals("Ready")) {
            ((tools.jackson.databind.node.ObjectNode) condition).put("status", "False").put("reason", "KubeletNotReady");
            found = true;
          }
        }
      }
    }
    assertThat(found).as("node " + nodeName + " with a Ready condition").isTrue();
    return list.toString();
  }

  static String seedNodesAt(String losangeles, String k3s1, String k3s2) throws IOException {
    return Files.readString(NODES).replace("192.168.1.30", losangeles).replace("192.168.1.31", k3s1).replace("192.168.1.32", k3s2);
  }

  private Path write(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
