package io.etcdguard.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace in which the real kernel makes a real IPv6 temporary (privacy) address, as on a
 * dual-stack K3s server: a uniquely named namespace ({@code eg-xxxxxx}) holding both ends of a veth pair, with
 * {@code use_tempaddr=2}, {@code accept_dad=0}, a stable {@code mngtmpaddr noprefixroute} IPv6 address
 * ({@link #STABLE_IPV6}, the template of the temporary one), an IPv4 address ({@link #IPV4}) and IPv4 and IPv6
 * default routes (onlink). {@link #create()} returns once the kernel's temporary address is usable;
 * {@link #create(String, String, String)} names the interface and the IPv4 address, e.g. {@code eth0} and
 * {@code 192.168.1.30/24} to stand in for a particular host (names are local to the namespace).
 *
 * <p>{@link #removeIpv4()} plays the boot race (DHCPv4 "not done yet": the IPv4 address goes and its default
 * route with it), {@link #addIpv4()} ends it. {@link #close()} deletes the namespace and everything in it; a JVM
 * shutdown hook does the same if the JVM is stopped (Ctrl-C) before {@code close()}. Needs root and iproute2 with
 * {@code ip netns}: check {@link #unavailableReason()} first. Every command is bounded in time.
 */
public final class TestNetworkNamespace implements AutoCloseable {
  /** The stable address, template ({@code mngtmpaddr}) of the kernel's temporary addresses. */
  public static final String STABLE_IPV6 = "fd00:c0ff:ee::1e";
  /** The /64 both IPv6 addresses are in, as the kernel prints it in front of a temporary address. */
  public static final String IPV6_PREFIX = "fd00:c0ff:ee:0:";
  public static final String IPV6_GATEWAY = "fd00:c0ff:ee::1";
  public static final String IPV4 = "198.51.100.10";
  public static final int IPV4_PREFIX_LENGTH = 24;
  public static final String IPV4_GATEWAY = "198.51.100.1";

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TEMPORARY_ADDRESS_TIMEOUT = Duration.ofSeconds(10);
  private static final int NAME_ATTEMPTS = 3;

  /** What a command printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private final String name;
  private final String device;
  private final String peer;
  private final String ipv4WithPrefix;
  private final String ipv4Gateway;
  private final Thread deleteOnExit;
  private boolean closed;

  private TestNetworkNamespace(String name, String device, String peer, String ipv4WithPrefix, String ipv4Gateway) {
    this.name = name;
    this.device = device;
    this.peer = peer;
    this.ipv4WithPrefix = ipv4WithPrefix;
    this.ipv4Gateway = ipv4Gateway;
    this.deleteOnExit = new Thread(this::deleteQuietly, "delete-netns-" + name);
  }

  /**
   * Null when this process can create network namespaces (root, and {@code ip netns} works), else the reason it
   * cannot, as a message for {@code assumeTrue(reason == null, reason)} or a demo's "not root" line.
   */
  public static String unavailableReason() {
    if (!isRoot()) {
      return "not root (uid " + uid() + "): network namespaces need root (CI runs as root)";
    }
    Result list = runQuietly("ip", "netns", "list");
    if (list.exitCode() != 0) {
      return "network namespaces need iproute2 with `ip netns` (apt-get install iproute2): `ip netns list` "
          + (list.exitCode() < 0 ? "could not start: " : "exited " + list.exitCode() + ": ") + list.stderr().strip();
    }
    return null;
  }

  /**
   * Creates the namespace, its veth pair, addresses and routes, and waits (at most 10 s) for the kernel's
   * temporary address. On any failure the namespace is deleted before the exception is thrown.
   */
  public static TestNetworkNamespace create() throws IOException, InterruptedException {
    return create(null, IPV4 + "/" + IPV4_PREFIX_LENGTH, IPV4_GATEWAY);
  }

  /**
   * As {@link #create()}, with the interface named {@code device} (null: a unique {@code egxxxxxxa}; at most 15
   * characters) and the IPv4 address {@code ipv4WithPrefix} (e.g. {@code 192.168.1.30/24}) whose default route goes
   * via {@code ipv4Gateway}.
   */
  public static TestNetworkNamespace create(String device, String ipv4WithPrefix, String ipv4Gateway)
      throws IOException, InterruptedException {
    if (device != null && (device.isEmpty() || device.length() > 15 || !device.matches("[A-Za-z0-9_.-]+"))) {
      throw new IllegalArgumentException("device: an interface name of 1 to 15 letters, digits, '_', '.' or '-', got '" + device + "'");
    }
    if (ipv4WithPrefix == null || !ipv4WithPrefix.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
      throw new IllegalArgumentException("ipv4WithPrefix: an IPv4 address with its prefix length such as 192.168.1.30/24, got '"
          + ipv4WithPrefix + "'");
    }
    if (ipv4Gateway == null || !ipv4Gateway.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("ipv4Gateway: an IPv4 address such as 192.168.1.1, got '" + ipv4Gateway + "'");
    }
    String reason = unavailableReason();
    if (reason != null) {
      throw new IllegalStateException(reason);
    }
    for (int attempt = 1; ; attempt++) {
      String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
      TestNetworkNamespace namespace = new TestNetworkNamespace("eg-" + id, device != null ? device : "eg" + id + "a",
          "eg" + id + "b", ipv4WithPrefix, ipv4Gateway);
      Result added = run(COMMAND_TIMEOUT, "ip", "netns", "add", namespace.name);
      if (added.exitCode() != 0) {
        if (attempt < NAME_ATTEMPTS && added.stderr().contains("exists")) {
          continue;
        }
        throw new IOException("ip netns add " + namespace.name + " exited " + added.exitCode() + ": " + added.stderr().strip());
      }
      Runtime.getRuntime().addShutdownHook(namespace.deleteOnExit);
      try {
        namespace.configure();
        return namespace;
      } catch (IOException | InterruptedException | RuntimeException e) {
        namespace.close();
        throw e;
      }
    }
  }

  private void configure() throws IOException, InterruptedException {
    // Both ends inside the namespace: deleting it removes everything made here.
    exec("ip", "link", "add", device, "type", "veth", "peer", "name", peer);
    exec("sysctl", "-qw", "net.ipv6.conf." + device + ".use_tempaddr=2");
    // No duplicate address detection delay: the temporary address appears as soon as its template is added.
    exec("sysctl", "-qw", "net.ipv6.conf." + device + ".accept_dad=0");
    exec("ip", "link", "set", peer, "up");
    exec("ip", "link", "set", device, "up");
    exec("ip", "-6", "addr", "add", STABLE_IPV6 + "/64", "dev", device, "mngtmpaddr", "noprefixroute");
    addIpv4();
    exec("ip", "-6", "route", "add", "default", "via", IPV6_GATEWAY, "dev", device, "onlink");
    waitForTemporaryAddress();
  }

  /** The namespace's name, as {@code ip netns exec} takes it. */
  public String name() {
    return name;
  }

  /** The interface carrying the addresses and both default routes. */
  public String device() {
    return device;
  }

  /** The IPv4 address (without prefix length): {@link #IPV4} unless {@link #create(String, String, String)} named another. */
  public String ipv4() {
    return ipv4WithPrefix.substring(0, ipv4WithPrefix.indexOf('/'));
  }

  /** Adds the IPv4 address and the IPv4 default route (onlink): DHCPv4 is done. */
  public void addIpv4() throws IOException, InterruptedException {
    exec("ip", "addr", "add", ipv4WithPrefix, "dev", device);
    exec("ip", "route", "add", "default", "via", ipv4Gateway, "dev", device, "onlink");
  }

  /** Removes the IPv4 address, and with it the IPv4 default route: the boot race, DHCPv4 "not done yet". */
  public void removeIpv4() throws IOException, InterruptedException {
    exec("ip", "addr", "del", ipv4WithPrefix, "dev", device);
  }

  /** The kernel's current (not deprecated) temporary IPv6 address on {@link #device()}, without prefix length. */
  public String temporaryAddress() throws IOException, InterruptedException {
    String temporary = temporaryAddressIn(exec("ip", "-6", "-o", "addr", "show", "dev", device));
    if (temporary == null) {
      throw new IllegalStateException("no usable temporary address on " + device + " in network namespace " + name);
    }
    return temporary;
  }

  /** Runs a command inside the namespace ({@code ip netns exec}) and returns its stdout; a non-zero exit throws. */
  public String exec(String... command) throws IOException, InterruptedException {
    Result result = execResult(command);
    if (result.exitCode() != 0) {
      throw new IOException("`" + String.join(" ", command) + "` in network namespace " + name + " exited "
          + result.exitCode() + ": " + result.stderr().strip());
    }
    return result.stdout();
  }

  /** Runs a command inside the namespace ({@code ip netns exec}), whatever its exit status. */
  public Result execResult(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(command));
    return run(COMMAND_TIMEOUT, full.toArray(String[]::new));
  }

  /**
   * Runs {@code mainClass} in a JVM inside the namespace: this JVM's {@code java}, the given class path, tuned for a
   * short run (C1 only, class-data sharing when available). Whatever its exit status.
   */
  public Result execJava(String classPath, String mainClass, String... arguments) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classPath, mainClass));
    command.addAll(List.of(arguments));
    return execResult(command.toArray(String[]::new));
  }

  /** Deletes the namespace and everything in it. Idempotent. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(deleteOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it deletes the namespace too; deleting twice is harmless.
    }
    Result deleted = run(COMMAND_TIMEOUT, "ip", "netns", "del", name);
    if (deleted.exitCode() != 0) {
      throw new IOException("ip netns del " + name + " exited " + deleted.exitCode() + ": " + deleted.stderr().strip());
    }
  }

  @Override
  public String toString() {
    return "network namespace " + name + " (" + device + ")";
  }

  private void deleteQuietly() {
    runQuietly("ip", "netns", "del", name);
  }

  private void waitForTemporaryAddress() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TEMPORARY_ADDRESS_TIMEOUT.toNanos();
    String addresses = "";
    while (System.nanoTime() < deadline) {
      addresses = exec("ip", "-6", "-o", "addr", "show", "dev", device);
      if (temporaryAddressIn(addresses) != null) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("the kernel made no temporary address on " + device + " in network namespace " + name
        + " within " + TEMPORARY_ADDRESS_TIMEOUT.toMillis() + " ms:\n" + addresses);
  }

  /** From {@code ip -6 -o addr show}: the first global temporary address that is neither tentative nor deprecated. */
  static String temporaryAddressIn(String ipOneLineOutput) {
    for (String line : ipOneLineOutput.split("\n")) {
      List<String> words = List.of(line.trim().split("\\s+"));
      int inet6 = words.indexOf("inet6");
      if (inet6 < 0 || inet6 + 1 >= words.size()) {
        continue;
      }
      if (words.contains("temporary") && words.contains("global") && !words.contains("tentative")
          && !words.contains("deprecated")) {
        String address = words.get(inet6 + 1);
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
      }
    }
    return null;
  }

  private static Result runQuietly(String... command) {
    try {
      return run(COMMAND_TIMEOUT, command);
    } catch (IOException e) {
      return new Result(-1, "", e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
  }

  private static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("eg-netns", ".out");
    Path stderr = Files.createTempFile("eg-netns", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ChildProcesses.stop(process, Duration.ofSeconds(2));
        throw new IOException("`" + String.join(" ", command) + "` did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /** Whether this process runs as root (uid 0), from /proc/self/status. */
  public static boolean isRoot() {
    return "0".equals(uid());
  }

  private static String uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1];
        }
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }
}
