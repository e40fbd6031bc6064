package io.etcdguard.host;

import io.etcdguard.host.AddressPrediction.Certainty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Predicts the node address an auto-detecting K3s/RKE2 start picks (no {@code --node-ip}), with the rule those
 * distributions use: Kubernetes' {@code k8s.io/apimachinery/pkg/util/net.ChooseHostInterface}. That function
 * <ol>
 *   <li>reads the default routes from {@code /proc/net/route} (destination 0.0.0.0, any gateway) and
 *       {@code /proc/net/ipv6_route} (destination ::/0 with a non-zero gateway), in file order, metric ignored;</li>
 *   <li>for IPv4 first, then IPv6, walks the routes of that family: when the route's interface is up, it
 *       returns the first address of that family on it that is global unicast (Go's {@code IsGlobalUnicast}:
 *       not loopback, link-local, multicast or unspecified; private IPv4 and ULA count), in the order
 *       {@code net.Interface.Addrs()} gives, which is the rtnetlink dump order. Address flags are not looked
 *       at: temporary, deprecated, tentative and dadfailed addresses are all eligible;</li>
 *   <li>when that interface has none, it takes a global address of that family from an up loopback interface
 *       (RFC 5549 setups), then goes on with the next route;</li>
 *   <li>with no default route at all it fails ("no default routes found").</li>
 * </ol>
 * Pure: a {@link HostSnapshot} in, the two {@link NodeIpPredictions} out.
 */
public final class NodeIpPredictor {
  private NodeIpPredictor() {}

  public static NodeIpPredictions predict(HostSnapshot host) {
    return new NodeIpPredictions(predictNow(host), predictBootRace(host));
  }

  /** The address a start would pick with the host as it is now. */
  public static AddressPrediction predictNow(HostSnapshot host) {
    return choose(host.interfaces(), host.addresses(), host.defaultRoutes(), host.source(), "");
  }

  /** The address a start would pick if IPv4 were not up yet: IPv4 addresses and IPv4 default routes ignored. */
  public static AddressPrediction predictBootRace(HostSnapshot host) {
    List<HostAddress> ipv6 = host.addresses().stream().filter(a -> a.family() == IpFamily.IPV6).toList();
    List<DefaultRoute> ipv6Routes = host.defaultRoutes().stream().filter(r -> r.family() == IpFamily.IPV6).toList();
    return choose(host.interfaces(), ipv6, ipv6Routes, host.source(), "if IPv4 were not up yet: ");
  }

  private static AddressPrediction choose(List<NetInterface> interfaces, List<HostAddress> addresses,
      List<DefaultRoute> routes, HostSnapshot.Source source, String premise) {
    if (routes.isEmpty()) {
      return new AddressPrediction(null, null, null, premise
          + "no default route in either family: auto-detection fails (\"no default routes found in /proc/net/route "
          + "or /proc/net/ipv6_route\") and K3s/RKE2 do not start without --node-ip", Certainty.CERTAIN);
    }
    List<String> skipped = new ArrayList<>();
    for (IpFamily family : IpFamily.values()) {
      for (DefaultRoute route : routes) {
        if (route.family() != family) {
          continue;
        }
        Optional<NetInterface> routeInterface = interfaces.stream().filter(i -> i.name().equals(route.interfaceName())).findFirst();
        String routeText = "the " + family.display() + " default route" + (route.gateway() == null ? "" : " via " + route.gatewayText())
            + " leaves through " + route.interfaceName();
        if (routeInterface.isEmpty() || !routeInterface.get().up()) {
          skipped.add(routeText + ", which is " + (routeInterface.isEmpty() ? "not present" : "down"));
          continue;
        }
        List<HostAddress> candidates = globalAddresses(addresses, route.interfaceName(), family);
        if (!candidates.isEmpty()) {
          return found(candidates, premise + routeText + "; " + pickText(candidates, family, source), source);
        }
        for (NetInterface loopback : interfaces) {
          if (loopback.up() && loopback.loopback()) {
            List<HostAddress> onLoopback = globalAddresses(addresses, loopback.name(), family);
            if (!onLoopback.isEmpty()) {
              return found(onLoopback, premise + routeText + ", which has no global " + family.display()
                  + " address; the loopback " + loopback.name() + " has one (RFC 5549 setup): "
                  + pickText(onLoopback, family, source), source);
            }
          }
        }
        skipped.add(routeText + ", which has no global " + family.display() + " address");
      }
    }
    return new AddressPrediction(null, null, null, premise + "no usable address on the default routes' interfaces ("
        + String.join("; ", skipped) + "): auto-detection fails (\"unable to select an IP from default routes\")",
        Certainty.CERTAIN);
  }

  private static List<HostAddress> globalAddresses(List<HostAddress> addresses, String interfaceName, IpFamily family) {
    return addresses.stream()
        .filter(a -> a.interfaceName().equals(interfaceName) && a.family() == family)
        .filter(a -> Addresses.isGlobalUnicast(a.address()))
        .toList();
  }

  private static AddressPrediction found(List<HostAddress> candidates, String why, HostSnapshot.Source source) {
    HostAddress pick = candidates.get(0);
    // Only the order is in doubt from /proc: with one candidate there is nothing to order.
    Certainty certainty = source == HostSnapshot.Source.NETLINK || candidates.size() == 1 ? Certainty.CERTAIN : Certainty.UNCERTAIN;
    return new AddressPrediction(pick.text(), pick.family(), pick.interfaceName(), why, certainty);
  }

  private static String pickText(List<HostAddress> candidates, IpFamily family, HostSnapshot.Source source) {
    HostAddress pick = candidates.get(0);
    StringBuilder text = new StringBuilder(pick.text());
    if (candidates.size() == 1) {
      text.append(" is its only global ").append(family.display()).append(" address");
    } else if (source == HostSnapshot.Source.NETLINK) {
      text.append(" is the first of its ").append(candidates.size()).append(" global ").append(family.display())
          .append(" addresses in the kernel's order");
    } else {
      text.append(" is the first of its ").append(candidates.size()).append(" global ").append(family.display())
          .append(" addresses as /proc lists them; the kernel's order (which K3s follows) could not be read, so another may be picked");
    }
    List<String> notes = flagNotes(pick.flags());
    if (!notes.isEmpty()) {
      text.append(" (").append(String.join(", ", notes)).append(")");
    }
    return text.toString();
  }

  private static List<String> flagNotes(AddressFlags flags) {
    List<String> notes = new ArrayList<>();
    if (flags.temporary()) {
      notes.add("a temporary privacy address: it is deprecated and then removed after its lifetime");
    }
    if (flags.deprecated()) {
      notes.add("deprecated");
    }
    if (flags.tentative()) {
      notes.add("still tentative (duplicate address detection not done)");
    }
    if (flags.dadfailed()) {
      notes.add("duplicate address detection failed");
    }
    return notes;
  }
}
