package io.etcdguard.host;

import io.etcdguard.host.NetlinkMessages.LinkMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link HostSnapshot}, read-only and without privileges: addresses over rtnetlink (kernel order, all
 * flags, lifetimes), default routes from {@code /proc/net/route} and {@code /proc/net/ipv6_route} (the files
 * K3s reads), the privacy sysctls from {@code /proc/sys/net/ipv6/conf/<if>/}. When netlink cannot be used it
 * falls back to {@code /proc/net/if_inet6} and {@code java.net} and lists what that costs in
 * {@link HostSnapshot#unreadable()}.
 */
public final class HostReader {
  private final Path proc;
  private final NetlinkDumps netlink;
  private final SystemInterfaces systemInterfaces;
  private final Clock clock;

  public HostReader(Path proc, NetlinkDumps netlink, SystemInterfaces systemInterfaces, Clock clock) {
    this.proc = proc;
    this.netlink = netlink;
    this.systemInterfaces = systemInterfaces;
    this.clock = clock;
  }

  /** The live host: /proc, a netlink socket, java.net, the system clock. */
  public static HostReader live() {
    return new HostReader(Path.of("/proc"), new NetlinkSocket(), SystemInterfaces.JAVA_NET, Clock.systemUTC());
  }

  public HostSnapshot read() {
    List<UnreadableFact> unreadable = new ArrayList<>();
    List<DefaultRoute> routes = new ArrayList<>();
    readRoutes(ProcFiles.ROUTE, unreadable, routes, true);
    readRoutes(ProcFiles.IPV6_ROUTE, unreadable, routes, false);

    String netlinkFailure;
    try {
      List<LinkMessage> links = netlink.links();
      Map<Integer, String> names = new LinkedHashMap<>();
      links.forEach(link -> names.put(link.ifindex(), link.name()));
      List<HostAddress> addresses = netlink.addresses().stream().map(message -> message.toHostAddress(names)).toList();
      List<NetInterface> interfaces = links.stream().map(LinkMessage::toInterface).toList();
      List<InterfaceSysctls> sysctls = readSysctls(interfaces, unreadable);
      return new HostSnapshot(HostSnapshot.Source.NETLINK, interfaces, addresses, routes, sysctls, unreadable, clock.instant());
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: JNA could not load its native part (no libc, noexec tmp): /proc still works.
      netlinkFailure = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    return readFromProc(netlinkFailure, routes, unreadable);
  }

  private HostSnapshot readFromProc(String netlinkFailure, List<DefaultRoute> routes, List<UnreadableFact> unreadable) {
    String why = "rtnetlink unavailable (" + netlinkFailure + ")";
    List<NetInterface> interfaces = List.of();
    List<HostAddress> addresses = new ArrayList<>();
    try {
      interfaces = systemInterfaces.interfaces();
      addresses.addAll(systemInterfaces.ipv4Addresses());
    } catch (IOException e) {
      unreadable.add(new UnreadableFact("interfaces and IPv4 addresses", "java.net.NetworkInterface failed: " + e.getMessage()));
    }
    List<InterfaceSysctls> sysctls = readSysctls(interfaces, unreadable);
    try {
      addresses.addAll(ProcFiles.parseIfInet6(readProcFile(proc.resolve(ProcFiles.IF_INET6)), sysctls));
    } catch (NoSuchFileException e) {
      unreadable.add(new UnreadableFact("IPv6 addresses", proc.resolve(ProcFiles.IF_INET6) + " does not exist (IPv6 disabled?)"));
    } catch (IOException | IllegalArgumentException e) {
      unreadable.add(new UnreadableFact("IPv6 addresses", "cannot read " + proc.resolve(ProcFiles.IF_INET6) + ": " + e.getMessage()));
    }
    unreadable.add(new UnreadableFact("address order", why + "; /proc/net/if_inet6 lists IPv6 addresses in hash order, "
        + "not the kernel's order that K3s follows: a prediction among several addresses is uncertain"));
    unreadable.add(new UnreadableFact("address lifetimes", why + "; /proc has no lifetimes: a temporary address lives at "
        + "most temp_valid_lft (preferred at most temp_prefered_lft)"));
    unreadable.add(new UnreadableFact("flags mngtmpaddr, noprefixroute, stablePrivacy", why + "; /proc/net/if_inet6 has only the low 8 flag bits"));
    unreadable.add(new UnreadableFact("IPv4 address flags", why + "; java.net.NetworkInterface has no address flags"));
    return new HostSnapshot(HostSnapshot.Source.PROC, interfaces, addresses, routes, sysctls, unreadable, clock.instant());
  }

  private void readRoutes(String file, List<UnreadableFact> unreadable, List<DefaultRoute> routes, boolean ipv4) {
    Path path = proc.resolve(file);
    try {
      String text = readProcFile(path);
      routes.addAll(ipv4 ? ProcFiles.parseIpv4DefaultRoutes(text) : ProcFiles.parseIpv6DefaultRoutes(text));
    } catch (NoSuchFileException e) {
      unreadable.add(new UnreadableFact((ipv4 ? "IPv4" : "IPv6") + " default routes", path + " does not exist"));
    } catch (IOException | IllegalArgumentException e) {
      unreadable.add(new UnreadableFact((ipv4 ? "IPv4" : "IPv6") + " default routes", "cannot read " + path + ": " + e.getMessage()));
    }
  }

  private List<InterfaceSysctls> readSysctls(List<NetInterface> interfaces, List<UnreadableFact> unreadable) {
    List<InterfaceSysctls> sysctls = new ArrayList<>();
    for (NetInterface each : interfaces) {
      Path conf = proc.resolve("sys/net/ipv6/conf").resolve(each.name());
      if (!Files.isDirectory(conf)) {
        continue; // no IPv6 on this interface: nothing to read, nothing missing
      }
      Long useTempaddr = sysctl(conf.resolve("use_tempaddr"), unreadable);
      Long preferred = sysctl(conf.resolve("temp_prefered_lft"), unreadable);
      Long valid = sysctl(conf.resolve("temp_valid_lft"), unreadable);
      sysctls.add(new InterfaceSysctls(each.name(), useTempaddr == null ? null : useTempaddr.intValue(), preferred, valid));
    }
    return sysctls;
  }

  /**
   * Reads a /proc file to the end. Not {@code Files.readString}: on procfs (size 0) it can stop after the first
   * short read, e.g. "-" of lo's use_tempaddr "-1".
   */
  static String readProcFile(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private static Long sysctl(Path file, List<UnreadableFact> unreadable) {
    try {
      return Long.parseLong(readProcFile(file).trim());
    } catch (IOException | NumberFormatException e) {
      unreadable.add(new UnreadableFact(file.toString(), "cannot read: " + e));
      return null;
    }
  }
}
