package io.etcdguard.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent against the real kernel: in a network namespace this test creates (unique names, deleted after
 * each test), a veth with {@code use_tempaddr=2} and a {@code mngtmpaddr} prefix, so that the kernel makes a real
 * temporary address; IPv4 and IPv6 default routes. The agent runs inside the namespace as a separate JVM
 * ({@code ip netns exec NS java ... agent --once -o json}), exactly as an admin would run it on a node.
 * Needs root and iproute2 (CI runs as root); skipped with the reason otherwise.
 */
class KernelAddressesTest {
  private static final String STABLE = "fd00:c0ff:ee::1e";
  private static final String IPV4 = "198.51.100.10";
  private static final String IPV4_GATEWAY = "198.51.100.1";
  private static final String IPV6_GATEWAY = "fd00:c0ff:ee::1";
  private static final long COMMAND_TIMEOUT_SECONDS = 60;
  private static final long TEMPORARY_ADDRESS_TIMEOUT_MILLIS = 10_000;

  private String namespace;
  private String device;
  private String peer;
  private boolean namespaceCreated;

  @BeforeEach
  void createNamespace() throws Exception {
    assumeTrue(isRoot(), "KernelAddressesTest needs root to create network namespaces (CI runs as root); skipped");
    assumeTrue(run(false, "ip", "netns", "list").exitCode() == 0,
        "KernelAddressesTest needs iproute2 with `ip netns` (apt-get install iproute2); skipped");
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    namespace = "eg-" + id;
    device = "eg" + id + "a";
    peer = "eg" + id + "b";
    run(true, "ip", "netns", "add", namespace);
    namespaceCreated = true;
    // Both ends inside the namespace: deleting it removes everything this test made.
    inNamespace("ip", "link", "add", device, "type", "veth", "peer", "name", peer);
    inNamespace("sysctl", "-qw", "net.ipv6.conf." + device + ".use_tempaddr=2");
    // No duplicate address detection delay: the temporary address appears as soon as its template is added.
    inNamespace("sysctl", "-qw", "net.ipv6.conf." + device + ".accept_dad=0");
    inNamespace("ip", "link", "set", peer, "up");
    inNamespace("ip", "link", "set", device, "up");
    inNamespace("ip", "-6", "addr", "add", STABLE + "/64", "dev", device, "mngtmpaddr", "noprefixroute");
    addIpv4();
    inNamespace("ip", "-6", "route", "add", "default", "via", IPV6_GATEWAY, "dev", device, "onlink");
    waitForTemporaryAddress();
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (namespaceCreated) {
      run(true, "ip", "netns", "del", namespace);
    }
  }

  @Test
  void reportsTheKernelsTemporaryAddressAsTemporaryAndFirst() throws Exception {
    JsonNode spec = agentOnce().path("spec");
    assertThat(spec.path("source").asText()).isEqualTo("Netlink");

    List<JsonNode> globalIpv6 = new ArrayList<>();
    for (JsonNode address : spec.path("addresses")) {
      if (address.path("interface").asText().equals(device) && address.path("family").asText().equals("IPv6")
          && address.path("scope").asText().equals("global")) {
        globalIpv6.add(address);
      }
    }
    assertThat(globalIpv6).as("global IPv6 addresses of %s", device).hasSize(2);
    JsonNode temporary = globalIpv6.get(0);
    JsonNode stable = globalIpv6.get(1);
    assertThat(stable.path("address").asText()).as("the kernel lists the temporary address before its template").isEqualTo(STABLE);
    assertThat(temporary.path("address").asText()).startsWith("fd00:c0ff:ee:0:").isNotEqualTo(STABLE);

    assertThat(temporary.path("temporary").asBoolean()).isTrue();
    assertThat(temporary.path("mngtmpaddr").asBoolean()).isFalse();
    assertThat(temporary.path("permanent").asBoolean()).isFalse();
    assertThat(temporary.path("prefixLength").asInt()).isEqualTo(64);
    assertThat(temporary.path("validLifetime").asText()).isEqualTo("Finite");
    long tempValidLft = Long.parseLong(inNamespace("cat", "/proc/sys/net/ipv6/conf/" + device + "/temp_valid_lft").trim());
    assertThat(temporary.path("validLifetimeSeconds").asLong()).isPositive().isLessThanOrEqualTo(tempValidLft);
    assertThat(temporary.path("preferredLifetime").asText()).isEqualTo("Finite");
    assertThat(temporary.path("preferredLifetimeSeconds").asLong()).isPositive();

    assertThat(stable.path("temporary").asBoolean()).isFalse();
    assertThat(stable.path("mngtmpaddr").asBoolean()).isTrue();
    assertThat(stable.path("noprefixroute").asBoolean()).isTrue();
    assertThat(stable.path("permanent").asBoolean()).isTrue();
    assertThat(stable.path("validLifetime").asText()).isEqualTo("Forever");

    JsonNode deviceInterface = null;
    for (JsonNode each : spec.path("interfaces")) {
      if (each.path("name").asText().equals(device)) {
        deviceInterface = each;
      }
    }
    assertThat(deviceInterface).as("interface %s in the report", device).isNotNull();
    assertThat(deviceInterface.path("useTempaddr").asInt()).isEqualTo(2);
    assertThat(deviceInterface.path("up").asBoolean()).isTrue();

    assertThat(spec.at("/predictions/now/address").asText()).isEqualTo(IPV4);
    assertThat(spec.at("/predictions/now/certainty").asText()).isEqualTo("Certain");
    assertThat(spec.at("/predictions/bootRace/address").asText())
        .as("before IPv4 is up, K3s' rule picks the first global IPv6 address in kernel order: the temporary one")
        .isEqualTo(temporary.path("address").asText());
    assertThat(spec.at("/predictions/bootRace/why").asText()).contains("temporary");
  }

  @Test
  void bootRaceWithoutIpv4PicksTheTemporaryAddressAndIpv4WinsWhenItIsBack() throws Exception {
    String temporary = agentOnce().at("/spec/predictions/bootRace/address").asText();
    assertThat(temporary).startsWith("fd00:c0ff:ee:0:").isNotEqualTo(STABLE);

    // DHCPv4 "not done yet": no IPv4 address, and with it goes the IPv4 default route.
    inNamespace("ip", "addr", "del", IPV4 + "/24", "dev", device);
    JsonNode withoutIpv4 = agentOnce().path("spec");
    assertThat(withoutIpv4.path("defaultRoutes").findValuesAsString("family")).containsOnly("IPv6");
    assertThat(withoutIpv4.at("/predictions/now/address").asText()).isEqualTo(temporary);
    assertThat(withoutIpv4.at("/predictions/now/family").asText()).isEqualTo("IPv6");

    addIpv4();
    JsonNode withIpv4 = agentOnce().path("spec");
    assertThat(withIpv4.at("/predictions/now/address").asText()).isEqualTo(IPV4);
    assertThat(withIpv4.at("/predictions/bootRace/address").asText()).isEqualTo(temporary);
  }

  private void addIpv4() throws Exception {
    inNamespace("ip", "addr", "add", IPV4 + "/24", "dev", device);
    inNamespace("ip", "route", "add", "default", "via", IPV4_GATEWAY, "dev", device);
  }

  private void waitForTemporaryAddress() throws Exception {
    long deadline = System.currentTimeMillis() + TEMPORARY_ADDRESS_TIMEOUT_MILLIS;
    String addresses = "";
    while (System.currentTimeMillis() < deadline) {
      addresses = inNamespace("ip", "-6", "addr", "show", "dev", device);
      if (addresses.contains("temporary") && !addresses.contains("tentative")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the kernel made no temporary address on " + device + " within "
        + TEMPORARY_ADDRESS_TIMEOUT_MILLIS + " ms:\n" + addresses);
  }

  /** The agent in the namespace, as its own JVM, with the test's classpath. */
  private JsonNode agentOnce() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Result result = run(true, "ip", "netns", "exec", namespace, java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), "io.etcdguard.cli.Main", "agent", "--once", "-o", "json",
        "--node-name", "kernel-test");
    return JsonMapper.shared().readTree(result.stdout());
  }

  private String inNamespace(String... command) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return run(true, full.toArray(String[]::new)).stdout();
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(boolean mustSucceed, String... command) throws Exception {
    Path stdout = Files.createTempFile("eg-kernel", ".out");
    Path stderr = Files.createTempFile("eg-kernel", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
      }
      Result result = new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
      if (mustSucceed && result.exitCode() != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr());
      }
      return result;
    } catch (IOException e) {
      if (mustSucceed) {
        throw e;
      }
      return new Result(-1, "", e.toString());
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
