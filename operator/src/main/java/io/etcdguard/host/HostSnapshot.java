package io.etcdguard.host;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the agent read from the host at {@code readAt}. {@code addresses} are in the kernel's order when
 * {@code source} is {@link Source#NETLINK} (the order an rtnetlink dump gives, which is what K3s/RKE2 see),
 * and in {@code /proc/net/if_inet6} hash order (IPv6) after {@code java.net.NetworkInterface} order (IPv4)
 * when it is {@link Source#PROC}. Facts that could not be read are listed with the reason, never guessed.
 */
public record HostSnapshot(
    Source source,
    List<NetInterface> interfaces,
    List<HostAddress> addresses,
    List<DefaultRoute> defaultRoutes,
    List<InterfaceSysctls> sysctls,
    List<UnreadableFact> unreadable,
    Instant readAt) {

  public enum Source {
    /** rtnetlink RTM_GETADDR dump: kernel order, 32-bit flags, lifetimes. */
    NETLINK,
    /** /proc/net/if_inet6 (+ java.net for IPv4): hash order, low 8 flag bits, no lifetimes. */
    PROC
  }

  public HostSnapshot {
    interfaces = List.copyOf(interfaces);
    addresses = List.copyOf(addresses);
    defaultRoutes = List.copyOf(defaultRoutes);
    sysctls = List.copyOf(sysctls);
    unreadable = List.copyOf(unreadable);
  }

  public Optional<NetInterface> interfaceNamed(String name) {
    return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** The addresses of one interface, in snapshot order. */
  public List<HostAddress> addressesOf(String interfaceName) {
    return addresses.stream().filter(a -> a.interfaceName().equals(interfaceName)).toList();
  }

  public Optional<InterfaceSysctls> sysctlsOf(String interfaceName) {
    return sysctls.stream().filter(s -> s.interfaceName().equals(interfaceName)).findFirst();
  }
}
