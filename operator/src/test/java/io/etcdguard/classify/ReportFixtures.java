package io.etcdguard.classify;

import io.etcdguard.host.AddressFlags;
import io.etcdguard.host.AddressPrediction;
import io.etcdguard.host.DefaultRoute;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.HostSnapshot;
import io.etcdguard.host.InterfaceSysctls;
import io.etcdguard.host.IpFamily;
import io.etcdguard.host.Lifetime;
import io.etcdguard.host.NetInterface;
import io.etcdguard.host.NodeHostReport;
import io.etcdguard.host.NodeIpPredictions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Node host reports for classifier tables: addresses on eth0, the two predictions, use_tempaddr. */
final class ReportFixtures {
  static final Instant READ_AT = Instant.parse("2026-11-30T12:00:00Z");
  static final Instant NOW = READ_AT.plusSeconds(60);

  private ReportFixtures() {}

  /** A report builder: {@code report("losangeles").stable("192.168.1.30").temporary(TEMP_V6).bootRace(TEMP_V6).build()}. */
  static Builder report(String node) {
    return new Builder(node);
  }

  static final class Builder {
    private final String node;
    private final List<HostAddress> addresses = new ArrayList<>();
    private Integer useTempaddr = 0;
    private AddressPrediction now;
    private AddressPrediction bootRace;
    private Instant readAt = READ_AT;
    private Lifetime temporaryValid = Lifetime.seconds(172_800);
    private Lifetime temporaryPreferred = Lifetime.seconds(86_400);

    Builder(String node) {
      this.node = node;
    }

    Builder stable(String address) {
      addresses.add(new HostAddress("eth0", 2, ClassifierTest.ip(address), address.contains(":") ? 64 : 24, 0,
          AddressFlags.fromBits(AddressFlags.IFA_F_PERMANENT), Lifetime.FOREVER, Lifetime.FOREVER));
      return this;
    }

    Builder temporary(String address) {
      addresses.add(0, new HostAddress("eth0", 2, ClassifierTest.ip(address), 64, 0,
          AddressFlags.fromBits(AddressFlags.IFA_F_TEMPORARY), temporaryValid, temporaryPreferred));
      return this;
    }

    Builder lifetimes(Lifetime valid, Lifetime preferred) {
      temporaryValid = valid;
      temporaryPreferred = preferred;
      return this;
    }

    Builder useTempaddr(Integer value) {
      useTempaddr = value;
      return this;
    }

    Builder now(String address) {
      now = prediction(address, "IPv4 default route via eth0");
      return this;
    }

    Builder bootRace(String address) {
      bootRace = prediction(address, "no IPv4 yet: IPv6 default route via eth0, first global address");
      return this;
    }

    Builder readAt(Instant at) {
      readAt = at;
      return this;
    }

    private static AddressPrediction prediction(String address, String why) {
      return new AddressPrediction(address, address.contains(":") ? IpFamily.IPV6 : IpFamily.IPV4, "eth0", why,
          AddressPrediction.Certainty.CERTAIN);
    }

    NodeHostReport build() {
      HostSnapshot snapshot = new HostSnapshot(HostSnapshot.Source.NETLINK, List.of(new NetInterface(2, "eth0", true, false)),
          addresses, List.<DefaultRoute>of(), List.of(new InterfaceSysctls("eth0", useTempaddr, 86_400L, 172_800L)), List.of(), readAt);
      AddressPrediction none = new AddressPrediction(null, null, null, "no default route", AddressPrediction.Certainty.CERTAIN);
      return new NodeHostReport(node, snapshot, new NodeIpPredictions(now == null ? none : now, bootRace == null ? none : bootRace));
    }
  }
}
