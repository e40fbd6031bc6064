package io.etcdguard.host;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.NodeAddressReportSpec;
import io.etcdguard.api.v1alpha1.NodeIPPrediction;
import io.etcdguard.api.v1alpha1.NodeIPPredictions;
import io.etcdguard.api.v1alpha1.ReportedAddress;
import io.etcdguard.api.v1alpha1.ReportedInterface;
import io.etcdguard.api.v1alpha1.ReportedRoute;
import io.etcdguard.api.v1alpha1.UnreadableHostFact;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Host model <-> {@code NodeAddressReport}: {@link #toReport} is what the agent publishes and prints;
 * {@link #toHostReport} reads a report back (from the API or a file) for classification, with an
 * {@link IllegalArgumentException} naming the field when the report is malformed.
 */
public final class NodeAddressReports {
  private NodeAddressReports() {}

  public static NodeAddressReport toReport(String nodeName, HostSnapshot host, NodeIpPredictions predictions) {
    NodeAddressReportSpec spec = new NodeAddressReportSpec();
    spec.setNodeName(nodeName);
    spec.setObservedAt(host.readAt().toString());
    spec.setSource(host.source() == HostSnapshot.Source.NETLINK ? NodeAddressReport.SOURCE_NETLINK : NodeAddressReport.SOURCE_PROC);
    spec.setAddresses(host.addresses().stream().map(NodeAddressReports::reported).toList());
    spec.setDefaultRoutes(host.defaultRoutes().stream().map(NodeAddressReports::reported).toList());
    List<ReportedInterface> interfaces = new ArrayList<>();
    for (NetInterface each : host.interfaces()) {
      ReportedInterface reported = new ReportedInterface();
      reported.setName(each.name());
      reported.setIfindex(each.ifindex());
      reported.setUp(each.up());
      reported.setLoopback(each.loopback());
      host.sysctlsOf(each.name()).ifPresent(sysctls -> {
        reported.setUseTempaddr(sysctls.useTempaddr());
        reported.setTempPreferredLifetimeSeconds(sysctls.tempPreferredLifetime());
        reported.setTempValidLifetimeSeconds(sysctls.tempValidLifetime());
      });
      interfaces.add(reported);
    }
    spec.setInterfaces(interfaces);
    NodeIPPredictions reportedPredictions = new NodeIPPredictions();
    reportedPredictions.setNow(reported(predictions.now()));
    reportedPredictions.setBootRace(reported(predictions.bootRace()));
    spec.setPredictions(reportedPredictions);
    spec.setUnreadable(host.unreadable().stream().map(fact -> {
      UnreadableHostFact reported = new UnreadableHostFact();
      reported.setFact(fact.fact());
      reported.setReason(fact.reason());
      return reported;
    }).toList());
    NodeAddressReport report = new NodeAddressReport();
    report.setMetadata(new ObjectMetaBuilder().withName(nodeName).build());
    report.setSpec(spec);
    return report;
  }

  private static ReportedAddress reported(HostAddress address) {
    ReportedAddress reported = new ReportedAddress();
    reported.setInterfaceName(address.interfaceName());
    reported.setIfindex(address.ifindex());
    reported.setAddress(address.text());
    reported.setPrefixLength(address.prefixLength());
    reported.setFamily(address.family().display());
    reported.setScope(address.scopeName());
    AddressFlags flags = address.flags();
    reported.setTemporary(flags.temporary());
    reported.setDeprecated(flags.deprecated());
    reported.setTentative(flags.tentative());
    reported.setDadfailed(flags.dadfailed());
    reported.setPermanent(flags.permanent());
    reported.setOptimistic(flags.optimistic());
    reported.setMngtmpaddr(flags.mngtmpaddr());
    reported.setNoprefixroute(flags.noprefixroute());
    reported.setStablePrivacy(flags.stablePrivacy());
    Lifetime valid = address.validLifetime();
    reported.setValidLifetime(kindName(valid));
    reported.setValidLifetimeSeconds(valid.kind() == Lifetime.Kind.FINITE ? valid.seconds() : null);
    reported.setValidLifetimeAtMostSeconds(valid.kind() == Lifetime.Kind.UNKNOWN ? valid.seconds() : null);
    Lifetime preferred = address.preferredLifetime();
    reported.setPreferredLifetime(kindName(preferred));
    reported.setPreferredLifetimeSeconds(preferred.kind() == Lifetime.Kind.FINITE ? preferred.seconds() : null);
    reported.setPreferredLifetimeAtMostSeconds(preferred.kind() == Lifetime.Kind.UNKNOWN ? preferred.seconds() : null);
    return reported;
  }

  private static String kindName(Lifetime lifetime) {
    return switch (lifetime.kind()) {
      case FOREVER -> NodeAddressReport.LIFETIME_FOREVER;
      case FINITE -> NodeAddressReport.LIFETIME_FINITE;
      case UNKNOWN -> NodeAddressReport.LIFETIME_UNKNOWN;
    };
  }

  private static ReportedRoute reported(DefaultRoute route) {
    ReportedRoute reported = new ReportedRoute();
    reported.setFamily(route.family().display());
    reported.setInterfaceName(route.interfaceName());
    reported.setGateway(route.gatewayText());
    reported.setMetric(route.metric());
    return reported;
  }

  private static NodeIPPrediction reported(AddressPrediction prediction) {
    NodeIPPrediction reported = new NodeIPPrediction();
    reported.setAddress(prediction.address());
    reported.setFamily(prediction.family() == null ? null : prediction.family().display());
    reported.setInterfaceName(prediction.interfaceName());
    reported.setWhy(prediction.why());
    reported.setCertainty(prediction.certainty() == AddressPrediction.Certainty.CERTAIN ? NodeAddressReport.CERTAIN : NodeAddressReport.UNCERTAIN);
    return reported;
  }

  /** A report back in the host model; every malformed field is named in the exception. */
  public static NodeHostReport toHostReport(NodeAddressReport report) {
    String name = report.getMetadata() == null ? null : report.getMetadata().getName();
    NodeAddressReportSpec spec = report.getSpec();
    String where = "NodeAddressReport " + (name == null ? "<unnamed>" : name);
    if (spec == null) {
      throw new IllegalArgumentException(where + ": spec is missing");
    }
    String nodeName = spec.getNodeName() != null ? spec.getNodeName() : name;
    if (nodeName == null || nodeName.isBlank()) {
      throw new IllegalArgumentException(where + ": spec.nodeName is missing");
    }
    Instant observedAt;
    try {
      observedAt = Instant.parse(required(spec.getObservedAt(), where, "spec.observedAt"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": spec.observedAt is not an RFC 3339 time: " + spec.getObservedAt(), e);
    }
    HostSnapshot.Source source = switch (required(spec.getSource(), where, "spec.source")) {
      case NodeAddressReport.SOURCE_NETLINK -> HostSnapshot.Source.NETLINK;
      case NodeAddressReport.SOURCE_PROC -> HostSnapshot.Source.PROC;
      default -> throw new IllegalArgumentException(where + ": spec.source must be Netlink or Proc, not " + spec.getSource());
    };
    List<HostAddress> addresses = new ArrayList<>();
    for (int i = 0; i < spec.getAddresses().size(); i++) {
      addresses.add(hostAddress(spec.getAddresses().get(i), where + ": spec.addresses[" + i + "]"));
    }
    List<DefaultRoute> routes = new ArrayList<>();
    for (int i = 0; i < spec.getDefaultRoutes().size(); i++) {
      ReportedRoute route = spec.getDefaultRoutes().get(i);
      String field = where + ": spec.defaultRoutes[" + i + "]";
      routes.add(new DefaultRoute(family(route.getFamily(), field + ".family"), required(route.getInterfaceName(), field, "interface"),
          route.getGateway() == null ? null : address(route.getGateway(), field + ".gateway"),
          route.getMetric() == null ? 0 : route.getMetric()));
    }
    List<NetInterface> interfaces = new ArrayList<>();
    List<InterfaceSysctls> sysctls = new ArrayList<>();
    for (int i = 0; i < spec.getInterfaces().size(); i++) {
      ReportedInterface each = spec.getInterfaces().get(i);
      String interfaceName = required(each.getName(), where + ": spec.interfaces[" + i + "]", "name");
      interfaces.add(new NetInterface(each.getIfindex() == null ? 0 : each.getIfindex(), interfaceName, each.isUp(), each.isLoopback()));
      if (each.getUseTempaddr() != null || each.getTempPreferredLifetimeSeconds() != null || each.getTempValidLifetimeSeconds() != null) {
        sysctls.add(new InterfaceSysctls(interfaceName, each.getUseTempaddr(), each.getTempPreferredLifetimeSeconds(), each.getTempValidLifetimeSeconds()));
      }
    }
    List<UnreadableFact> unreadable = spec.getUnreadable().stream().map(f -> new UnreadableFact(f.getFact(), f.getReason())).toList();
    HostSnapshot snapshot = new HostSnapshot(source, interfaces, addresses, routes, sysctls, unreadable, observedAt);
    if (spec.getPredictions() == null) {
      throw new IllegalArgumentException(where + ": spec.predictions is missing");
    }
    NodeIpPredictions predictions = new NodeIpPredictions(
        prediction(spec.getPredictions().getNow(), where + ": spec.predictions.now"),
        prediction(spec.getPredictions().getBootRace(), where + ": spec.predictions.bootRace"));
    return new NodeHostReport(nodeName, snapshot, predictions);
  }

  private static HostAddress hostAddress(ReportedAddress reported, String field) {
    InetAddress address = address(required(reported.getAddress(), field, "address"), field + ".address");
    int bits = (reported.isTemporary() ? AddressFlags.IFA_F_TEMPORARY : 0)
        | (reported.isDeprecated() ? AddressFlags.IFA_F_DEPRECATED : 0)
        | (reported.isTentative() ? AddressFlags.IFA_F_TENTATIVE : 0)
        | (reported.isDadfailed() ? AddressFlags.IFA_F_DADFAILED : 0)
        | (reported.isPermanent() ? AddressFlags.IFA_F_PERMANENT : 0)
        | (reported.isOptimistic() ? AddressFlags.IFA_F_OPTIMISTIC : 0)
        | (reported.isMngtmpaddr() ? AddressFlags.IFA_F_MNGTMPADDR : 0)
        | (reported.isNoprefixroute() ? AddressFlags.IFA_F_NOPREFIXROUTE : 0)
        | (reported.isStablePrivacy() ? AddressFlags.IFA_F_STABLE_PRIVACY : 0);
    return new HostAddress(required(reported.getInterfaceName(), field, "interface"),
        reported.getIfindex() == null ? 0 : reported.getIfindex(), address, reported.getPrefixLength(), scope(reported.getScope(), field + ".scope"),
        AddressFlags.fromBits(bits),
        lifetime(reported.getValidLifetime(), reported.getValidLifetimeSeconds(), reported.getValidLifetimeAtMostSeconds(), field + ".validLifetime"),
        lifetime(reported.getPreferredLifetime(), reported.getPreferredLifetimeSeconds(), reported.getPreferredLifetimeAtMostSeconds(), field + ".preferredLifetime"));
  }

  private static int scope(String scope, String field) {
    if (scope == null) {
      return HostAddress.RT_SCOPE_UNIVERSE;
    }
    return switch (scope) {
      case "global" -> HostAddress.RT_SCOPE_UNIVERSE;
      case "site" -> HostAddress.RT_SCOPE_SITE;
      case "link" -> HostAddress.RT_SCOPE_LINK;
      case "host" -> HostAddress.RT_SCOPE_HOST;
      default -> {
        try {
          yield Integer.parseInt(scope);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(field + " must be global, site, link, host or a number, not " + scope);
        }
      }
    };
  }

  private static Lifetime lifetime(String kind, Long seconds, Long atMost, String field) {
    if (kind == null || kind.equals(NodeAddressReport.LIFETIME_UNKNOWN)) {
      return atMost == null ? Lifetime.UNKNOWN : Lifetime.atMost(atMost);
    }
    return switch (kind) {
      case NodeAddressReport.LIFETIME_FOREVER -> Lifetime.FOREVER;
      case NodeAddressReport.LIFETIME_FINITE -> {
        if (seconds == null || seconds < 0) {
          throw new IllegalArgumentException(field + " is Finite but " + field + "Seconds is " + seconds);
        }
        yield Lifetime.seconds(seconds);
      }
      default -> throw new IllegalArgumentException(field + " must be Forever, Finite or Unknown, not " + kind);
    };
  }

  private static AddressPrediction prediction(NodeIPPrediction reported, String field) {
    if (reported == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    AddressPrediction.Certainty certainty = NodeAddressReport.UNCERTAIN.equals(reported.getCertainty())
        ? AddressPrediction.Certainty.UNCERTAIN : AddressPrediction.Certainty.CERTAIN;
    IpFamily family = reported.getFamily() == null ? null : family(reported.getFamily(), field + ".family");
    if (reported.getAddress() != null) {
      address(reported.getAddress(), field + ".address");
    }
    return new AddressPrediction(reported.getAddress(), family, reported.getInterfaceName(),
        Optional.ofNullable(reported.getWhy()).orElse(""), certainty);
  }

  private static IpFamily family(String family, String field) {
    return switch (family == null ? "" : family) {
      case "IPv4" -> IpFamily.IPV4;
      case "IPv6" -> IpFamily.IPV6;
      default -> throw new IllegalArgumentException(field + " must be IPv4 or IPv6, not " + family);
    };
  }

  /** A literal address; never a name lookup. */
  private static InetAddress address(String text, String field) {
    String literal = text.contains("%") ? text.substring(0, text.indexOf('%')) : text;
    boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException(field + " is not an IP address: " + text);
    }
    try {
      return Addresses.fromBytes(InetAddress.getByName(literal).getAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(field + " is not an IP address: " + text, e);
    }
  }

  private static String required(String value, String where, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(where + ": " + field + " is missing");
    }
    return value;
  }
}
