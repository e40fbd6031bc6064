package io.etcdguard.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.host.NetlinkMessages.AddressMessage;
import io.etcdguard.host.NetlinkMessages.LinkMessage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's assembly and its /proc fallback, on a /proc tree written by the test and fake netlink dumps. */
class HostReaderTest {
  private static final Clock CLOCK = Clock.fixed(HostFixtures.READ_AT, ZoneOffset.UTC);

  @TempDir
  Path proc;

  /** Replays the captured dumps (see NetlinkMessagesTest). */
  static final class CapturedDumps implements NetlinkDumps {
    @Override
    public List<LinkMessage> links() {
      List<LinkMessage> links = new ArrayList<>();
      replay("rtm-getlink-dump.hex").forEach(batch -> links.addAll(batch.links()));
      return links;
    }

    @Override
    public List<AddressMessage> addresses() {
      List<AddressMessage> addresses = new ArrayList<>();
      replay("rtm-getaddr-dump.hex").forEach(batch -> addresses.addAll(batch.addresses()));
      return addresses;
    }

    private static List<NetlinkMessages.Batch> replay(String resource) {
      try {
        return NetlinkMessagesTest.chunks(resource).stream()
            .map(chunk -> NetlinkMessages.parse(chunk, chunk.length, 42, ByteOrder.LITTLE_ENDIAN)).toList();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static final class NoNetlink implements NetlinkDumps {
    @Override
    public List<LinkMessage> links() {
      throw new NetlinkSocket.NetlinkUnavailableException("cannot open a NETLINK_ROUTE socket: errno 97", null);
    }

    @Override
    public List<AddressMessage> addresses() {
      throw new AssertionError("not reached");
    }
  }

  static final class FakeJavaNet implements SystemInterfaces {
    @Override
    public List<NetInterface> interfaces() {
      return List.of(new NetInterface(1, "lo", true, true), new NetInterface(2, "eth0", true, false));
    }

    @Override
    public List<HostAddress> ipv4Addresses() {
      return List.of(new HostAddress("eth0", 2, HostFixtures.ip("192.168.1.30"), 24, 0, AddressFlags.NONE, Lifetime.UNKNOWN, Lifetime.UNKNOWN));
    }
  }

  private void writeProc(String relative, String text) throws IOException {
    Path file = proc.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private void writeSysctls(String interfaceName, String useTempaddr) throws IOException {
    writeProc("sys/net/ipv6/conf/" + interfaceName + "/use_tempaddr", useTempaddr + "\n");
    writeProc("sys/net/ipv6/conf/" + interfaceName + "/temp_prefered_lft", "86400\n");
    writeProc("sys/net/ipv6/conf/" + interfaceName + "/temp_valid_lft", "604800\n");
  }

  @Test
  void overNetlinkKeepsKernelOrderAndReadsRoutesAndSysctls() throws IOException {
    writeProc("net/route", ProcFilesTest.ROUTE.replace("eth0", "egcap1"));
    writeProc("net/ipv6_route", "");
    writeSysctls("egcap1", "2");
    writeSysctls("lo", "-1");

    HostSnapshot host = new HostReader(proc, new CapturedDumps(), new FakeJavaNet(), CLOCK).read();

    assertThat(host.source()).isEqualTo(HostSnapshot.Source.NETLINK);
    assertThat(host.readAt()).isEqualTo(HostFixtures.READ_AT);
    assertThat(host.addresses()).extracting(HostAddress::text).startsWith("10.99.0.2", "fd00:c0ff:ee:0:7b34:dd9f:e62c:a813");
    assertThat(host.interfaceNamed("egcap1")).contains(new NetInterface(7, "egcap1", true, false));
    assertThat(host.sysctlsOf("egcap1")).contains(new InterfaceSysctls("egcap1", 2, 86_400L, 604_800L));
    assertThat(host.sysctlsOf("lo")).contains(new InterfaceSysctls("lo", -1, 86_400L, 604_800L));
    assertThat(host.defaultRoutes()).extracting(DefaultRoute::interfaceName).containsExactly("egcap1", "wg0");
    assertThat(host.unreadable()).isEmpty();
  }

  @Test
  void withoutNetlinkFallsBackToProcAndSaysWhatItCouldNotRead() throws IOException {
    writeProc("net/if_inet6", ProcFilesTest.IF_INET6);
    writeProc("net/route", ProcFilesTest.ROUTE);
    writeSysctls("eth0", "2");

    HostSnapshot host = new HostReader(proc, new NoNetlink(), new FakeJavaNet(), CLOCK).read();

    assertThat(host.source()).isEqualTo(HostSnapshot.Source.PROC);
    assertThat(host.addresses().get(0).text()).as("IPv4 from java.net first").isEqualTo("192.168.1.30");
    HostAddress temporary = host.addresses().stream().filter(a -> a.flags().temporary()).findFirst().orElseThrow();
    assertThat(temporary.validLifetime()).isEqualTo(Lifetime.atMost(604_800));
    assertThat(host.unreadable()).extracting(UnreadableFact::fact)
        .contains("address order", "address lifetimes", "flags mngtmpaddr, noprefixroute, stablePrivacy", "IPv6 default routes");
    assertThat(host.unreadable()).filteredOn(f -> f.fact().equals("address order")).singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("errno 97").contains("hash order"));
    assertThat(host.unreadable()).filteredOn(f -> f.fact().equals("IPv6 default routes")).singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("ipv6_route").contains("does not exist"));

    NodeIpPredictions predictions = NodeIpPredictor.predict(host);
    assertThat(predictions.now().address()).isEqualTo("192.168.1.30");
    assertThat(predictions.bootRace().found()).as("no IPv6 default route was readable").isFalse();
  }

  @Test
  void anUnreadableSysctlIsListedNotGuessed() throws IOException {
    writeProc("net/route", "");
    writeProc("net/ipv6_route", "");
    writeProc("sys/net/ipv6/conf/egcap1/use_tempaddr", "two\n");
    writeProc("sys/net/ipv6/conf/egcap1/temp_prefered_lft", "86400\n");
    writeProc("sys/net/ipv6/conf/egcap1/temp_valid_lft", "604800\n");

    HostSnapshot host = new HostReader(proc, new CapturedDumps(), new FakeJavaNet(), CLOCK).read();

    assertThat(host.sysctlsOf("egcap1")).contains(new InterfaceSysctls("egcap1", null, 86_400L, 604_800L));
    assertThat(host.unreadable()).singleElement().satisfies(f -> assertThat(f.fact()).endsWith("egcap1/use_tempaddr"));
  }
}
