package io.etcdguard.host;

import static io.etcdguard.testkit.TestNetworkNamespace.IPV4;
import static io.etcdguard.testkit.TestNetworkNamespace.IPV6_PREFIX;
import static io.etcdguard.testkit.TestNetworkNamespace.STABLE_IPV6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdguard.testkit.TestNetworkNamespace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent against the real kernel: in a {@link TestNetworkNamespace} (unique name, deleted after each test), a
 * veth with {@code use_tempaddr=2} and a {@code mngtmpaddr} prefix, so that the kernel makes a real temporary
 * address; IPv4 and IPv6 default routes. The agent runs inside the namespace as a separate JVM
 * ({@code ip netns exec NS java ... agent --once -o json}), exactly as an admin would run it on a node.
 * Needs root and iproute2 (CI runs as root); skipped with the reason otherwise.
 */
class KernelAddressesTest {
  private TestNetworkNamespace namespace;
  private String device;

  @BeforeEach
  void createNamespace() throws Exception {
    String unavailable = TestNetworkNamespace.unavailableReason();
    assumeTrue(unavailable == null, () -> "KernelAddressesTest skipped: " + unavailable);
    namespace = TestNetworkNamespace.create();
    device = namespace.device();
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (namespace != null) {
      namespace.close();
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
    assertThat(stable.path("address").asText()).as("the kernel lists the temporary address before its template").isEqualTo(STABLE_IPV6);
    assertThat(temporary.path("address").asText()).startsWith(IPV6_PREFIX).isNotEqualTo(STABLE_IPV6);

    assertThat(temporary.path("temporary").asBoolean()).isTrue();
    assertThat(temporary.path("mngtmpaddr").asBoolean()).isFalse();
    assertThat(temporary.path("permanent").asBoolean()).isFalse();
    assertThat(temporary.path("prefixLength").asInt()).isEqualTo(64);
    assertThat(temporary.path("validLifetime").asText()).isEqualTo("Finite");
    long tempValidLft = Long.parseLong(namespace.exec("cat", "/proc/sys/net/ipv6/conf/" + device + "/temp_valid_lft").trim());
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
    assertThat(temporary).startsWith(IPV6_PREFIX).isNotEqualTo(STABLE_IPV6);

    // DHCPv4 "not done yet": no IPv4 address, and with it goes the IPv4 default route.
    namespace.removeIpv4();
    JsonNode withoutIpv4 = agentOnce().path("spec");
    assertThat(withoutIpv4.path("defaultRoutes").findValuesAsString("family")).containsOnly("IPv6");
    assertThat(withoutIpv4.at("/predictions/now/address").asText()).isEqualTo(temporary);
    assertThat(withoutIpv4.at("/predictions/now/family").asText()).isEqualTo("IPv6");

    namespace.addIpv4();
    JsonNode withIpv4 = agentOnce().path("spec");
    assertThat(withIpv4.at("/predictions/now/address").asText()).isEqualTo(IPV4);
    assertThat(withIpv4.at("/predictions/bootRace/address").asText()).isEqualTo(temporary);
  }

  /** The agent in the namespace, as its own JVM, with the test's classpath. */
  private JsonNode agentOnce() throws Exception {
    TestNetworkNamespace.Result result = namespace.execJava(System.getProperty("java.class.path"),
        "io.etcdguard.cli.Main", "agent", "--once", "-o", "json", "--node-name", "kernel-test");
    assertThat(result.exitCode()).as("agent --once exit status; stderr: %s", result.stderr()).isZero();
    return JsonMapper.shared().readTree(result.stdout());
  }
}
