package io.etcdguard.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real etcd members as child processes on loopback addresses, for tests and the CLI's demo.
 *
 * <p>Each member gets its own 127.x.y.z address (Linux routes all of 127/8 locally, no root needed), free
 * client and peer ports and a data directory under the base directory. The class stops only the processes
 * it started, by their handles, and a JVM shutdown hook does the same if the caller never does.
 */
public final class LocalEtcdCluster implements AutoCloseable {
  private static final String INSTALL_HINT_ETCD = "etcd not found: apt-get install -y etcd-server";
  private static final String INSTALL_HINT_ETCDCTL = "etcdctl not found: apt-get install -y etcd-client";

  private static final List<Path> DEFAULT_BINARY_DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"));
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration ETCDCTL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final int LOG_TAIL_LINES = 25;

  /**
   * TLS for clients and peers. The one certificate serves clients and peers and also authenticates this
   * class's own etcdctl calls, so it needs serverAuth and clientAuth usage, an IP SAN for every member, and
   * one for 127.0.0.1: connections between loopback members leave from 127.0.0.1, and etcd checks a peer's
   * certificate against the address it connects from.
   */
  public record ServerTls(Path caFile, Path certFile, Path keyFile) {
  }

  /**
   * A member as started.
   *
   * @param peerUrl the URL the member listens on and was first registered with; {@link #updatePeerUrl}
   *     changes only what etcd advertises
   */
  public record MemberInfo(String name, String ip, int clientPort, int peerPort, String clientUrl, String peerUrl,
                           Path dataDir, Path logFile) {
  }

  private final Path etcd;
  private final Path etcdctl;
  private final String clusterToken;
  private final ServerTls tls;
  private final Duration startTimeout;
  private final Map<String, MemberInfo> members;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  /** Members frozen by {@link #pauseMember}: resumed before they are stopped, so SIGTERM ends them at once. */
  private final Set<String> paused = new HashSet<>();
  private final Thread shutdownHook = new Thread(this::stopProcesses, "local-etcd-cluster-shutdown");

  private LocalEtcdCluster(Builder builder, Path etcd, Path etcdctl, Map<String, MemberInfo> members,
      String clusterToken) {
    this.etcd = etcd;
    this.etcdctl = etcdctl;
    this.tls = builder.tls;
    this.startTimeout = builder.startTimeout;
    this.members = members;
    this.clusterToken = clusterToken;
  }

  public static Builder builder(Path baseDir) {
    return new Builder(baseDir);
  }

  /**
   * The member ID etcd 3.4 gives a member of the initial cluster: the first 8 bytes (big-endian) of
   * SHA-1 over its sorted peer URLs joined together, followed by the cluster token.
   */
  public static long initialMemberId(List<String> peerUrls, String clusterToken) {
    String input = peerUrls.stream().sorted().collect(Collectors.joining()) + clusterToken;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-1").digest(input.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, Arrays.copyOf(hash, 8)).longValue();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  public String clusterToken() {
    return clusterToken;
  }

  public List<MemberInfo> members() {
    return List.copyOf(members.values());
  }

  public MemberInfo member(String name) {
    MemberInfo member = members.get(name);
    if (member == null) {
      throw new IllegalArgumentException("no member " + name + " in this cluster (members: " + members.keySet() + ")");
    }
    return member;
  }

  public List<String> clientEndpoints() {
    return members.values().stream().map(MemberInfo::clientUrl).toList();
  }

  /** The PIDs of the running members, so callers can check that nothing is left behind. */
  public synchronized List<Long> pids() {
    return processes.values().stream().filter(Process::isAlive).map(Process::pid).toList();
  }

  public synchronized boolean isRunning(String name) {
    member(name);
    Process process = processes.get(name);
    return process != null && process.isAlive();
  }

  /** Stops one member (SIGTERM, then SIGKILL after 5 s), keeping its data for {@link #startMember}. */
  public synchronized void stopMember(String name) {
    member(name);
    if (paused.contains(name)) {
      resumeMember(name);
    }
    Process process = processes.remove(name);
    if (process != null) {
      stopProcess(process);
    }
  }

  /**
   * Freezes a running member with SIGSTOP, sent to the process this instance started: it keeps its sockets,
   * so connections to it are accepted by the kernel and never answered, as with a hung host.
   */
  public synchronized void pauseMember(String name) {
    signal(name, "STOP");
    paused.add(name);
  }

  /** Lets a member frozen by {@link #pauseMember} run again (SIGCONT). */
  public synchronized void resumeMember(String name) {
    signal(name, "CONT");
    paused.remove(name);
  }

  private void signal(String name, String signal) {
    member(name);
    Process process = processes.get(name);
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("etcd member " + name + " is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
          .redirectErrorStream(true).start();
      if (!kill.waitFor(ETCDCTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling etcd member " + name, e);
    }
  }

  /** Restarts a stopped member on its data directory and waits until it is healthy. */
  public synchronized void startMember(String name) {
    MemberInfo member = member(name);
    if (isRunning(name)) {
      throw new IllegalStateException("etcd member " + name + " is already running");
    }
    launch(member, "existing");
    awaitHealthy(List.of(member));
  }

  /** Stops every member, keeping their data: the whole cluster is down, as for an outage. */
  public synchronized void stopAll() {
    members.keySet().forEach(this::stopMember);
  }

  /**
   * Starts every stopped member together and waits until all are healthy: one member alone has no
   * quorum, so members of a stopped cluster cannot be restarted one at a time.
   */
  public synchronized void startStopped() {
    List<MemberInfo> stopped = members.values().stream().filter(m -> !isRunning(m.name())).toList();
    stopped.forEach(m -> launch(m, "existing"));
    awaitHealthy(stopped);
  }

  /**
   * Rewrites the peer URL etcd advertises for a member (etcdctl member update), e.g. to a temporary IPv6
   * address, and waits until every running member lists it. The member keeps listening where it did, so
   * the cluster keeps quorum and {@code updatePeerUrl(name, member(name).peerUrl())} restores it.
   */
  public synchronized void updatePeerUrl(String memberName, String peerUrl) {
    MemberInfo member = member(memberName);
    String idHex = Long.toHexString(memberId(memberName));
    etcdctl(runningClientUrls(), "member", "update", idHex, "--peer-urls=" + peerUrl);
    Instant deadline = Instant.now().plus(startTimeout);
    for (String endpoint : runningClientUrls()) {
      while (!advertisedPeerUrls(endpoint, member.name()).equals(List.of(peerUrl))) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("etcd member at " + endpoint + " still lists " + memberName + " with "
              + advertisedPeerUrls(endpoint, member.name()) + " after " + startTimeout + ", expected " + peerUrl);
        }
        sleep(POLL_INTERVAL);
      }
    }
  }

  /** The ID etcd assigned to a member, read from the member list (unsigned, held in a long). */
  public long memberId(String memberName) {
    member(memberName);
    for (JsonNode node : memberList(runningClientUrls()).path("members")) {
      if (node.path("name").asString("").equals(memberName)) {
        return node.path("ID").bigIntegerValue().longValue();
      }
    }
    throw new IllegalStateException("etcd does not list a member named " + memberName);
  }

  /** Stops every member this instance started and deletes their data directories. */
  public void stop() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it does the same work.
    }
    for (MemberInfo member : members.values()) {
      Fixtures.deleteRecursively(member.dataDir());
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void stopProcesses() {
    for (String name : List.copyOf(paused)) {
      try {
        resumeMember(name);
      } catch (IllegalStateException gone) {
        paused.remove(name);
      }
    }
    processes.values().forEach(LocalEtcdCluster::stopProcess);
    processes.clear();
  }

  private static void stopProcess(Process process) {
    ChildProcesses.stop(process, STOP_GRACE);
  }

  private void startAll() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      members.values().forEach(member -> launch(member, "new"));
      awaitHealthy(List.copyOf(members.values()));
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  private synchronized void launch(MemberInfo member, String initialClusterState) {
    List<String> command = new ArrayList<>(List.of(etcd.toString(),
        "--name", member.name(),
        "--data-dir", member.dataDir().toString(),
        "--listen-client-urls", member.clientUrl(),
        "--advertise-client-urls", member.clientUrl(),
        "--listen-peer-urls", member.peerUrl(),
        "--initial-advertise-peer-urls", member.peerUrl(),
        "--initial-cluster", initialCluster(),
        "--initial-cluster-token", clusterToken,
        "--initial-cluster-state", initialClusterState,
        // Short raft timings: a cluster forms and recovers from a restart in about a second.
        "--heartbeat-interval", "50",
        "--election-timeout", "500",
        "--logger", "zap",
        "--log-outputs", "stderr"));
    if (tls != null) {
      command.addAll(List.of(
          "--cert-file", tls.certFile().toString(),
          "--key-file", tls.keyFile().toString(),
          "--trusted-ca-file", tls.caFile().toString(),
          "--client-cert-auth",
          "--peer-cert-file", tls.certFile().toString(),
          "--peer-key-file", tls.keyFile().toString(),
          "--peer-trusted-ca-file", tls.caFile().toString(),
          "--peer-client-cert-auth"));
    }
    try {
      Files.createDirectories(member.dataDir().getParent());
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(member.logFile().toFile()))
          .start();
      processes.put(member.name(), process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start etcd member " + member.name() + ": " + e.getMessage(), e);
    }
  }

  private String initialCluster() {
    return members.values().stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
  }

  private void awaitHealthy(List<MemberInfo> expected) {
    Instant deadline = Instant.now().plus(startTimeout);
    List<MemberInfo> pending = new ArrayList<>(expected);
    while (!pending.isEmpty()) {
      for (MemberInfo member : List.copyOf(pending)) {
        Process process;
        synchronized (this) {
          process = processes.get(member.name());
        }
        if (!process.isAlive()) {
          throw new IllegalStateException("etcd member " + member.name() + " exited with code " + process.exitValue()
              + " before it was healthy; last lines of " + member.logFile() + ":\n" + logTail(member));
        }
        if (healthy(member)) {
          pending.remove(member);
        }
      }
      if (!pending.isEmpty()) {
        if (Instant.now().isAfter(deadline)) {
          MemberInfo first = pending.get(0);
          throw new IllegalStateException("etcd member " + first.name() + " (" + first.clientUrl()
              + ") not healthy after " + startTimeout + "; last lines of " + first.logFile() + ":\n"
              + logTail(first));
        }
        sleep(POLL_INTERVAL);
      }
    }
  }

  private boolean healthy(MemberInfo member) {
    return runEtcdctl(List.of(member.clientUrl()), "endpoint", "health").exitCode() == 0;
  }

  private List<String> runningClientUrls() {
    List<String> urls = members.values().stream().filter(m -> isRunning(m.name())).map(MemberInfo::clientUrl)
        .toList();
    if (urls.isEmpty()) {
      throw new IllegalStateException("no etcd member of this cluster is running");
    }
    return urls;
  }

  private List<String> advertisedPeerUrls(String endpoint, String memberName) {
    for (JsonNode node : memberList(List.of(endpoint)).path("members")) {
      if (node.path("name").asString("").equals(memberName)) {
        return node.path("peerURLs").valueStream().map(url -> url.asString()).toList();
      }
    }
    return List.of();
  }

  private JsonNode memberList(List<String> endpoints) {
    return JsonMapper.shared().readTree(etcdctl(endpoints, "member", "list", "-w", "json"));
  }

  private record EtcdctlResult(int exitCode, String output) {
  }

  /**
   * Runs etcdctl against the running members, with this cluster's TLS material, and returns its output,
   * e.g. {@code etcdctl("member", "list", "-w", "json")}.
   */
  public String etcdctl(String... args) {
    return etcdctl(runningClientUrls(), args);
  }

  private String etcdctl(List<String> endpoints, String... args) {
    EtcdctlResult result = runEtcdctl(endpoints, args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("etcdctl " + String.join(" ", args) + " against " + endpoints
          + " failed with exit code " + result.exitCode() + ": " + result.output().strip());
    }
    return result.output();
  }

  private EtcdctlResult runEtcdctl(List<String> endpoints, String... args) {
    List<String> command = new ArrayList<>(List.of(etcdctl.toString(),
        "--endpoints=" + String.join(",", endpoints), "--dial-timeout=1s", "--command-timeout=3s"));
    if (tls != null) {
      command.addAll(List.of("--cacert=" + tls.caFile(), "--cert=" + tls.certFile(), "--key=" + tls.keyFile()));
    }
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ETCDCTL_API", "3");
    try {
      Process process = builder.start();
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      if (!process.waitFor(ETCDCTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("etcdctl " + String.join(" ", args) + " did not finish within "
            + ETCDCTL_TIMEOUT);
      }
      return new EtcdctlResult(process.exitValue(), output.get(ETCDCTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + etcdctl + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running etcdctl", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read etcdctl's output: " + e.getMessage(), e);
    }
  }

  private static String readAll(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String logTail(MemberInfo member) {
    try {
      List<String> lines = Files.readAllLines(member.logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + member.logFile() + ": " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd", e);
    }
  }

  /** Where to look for etcd and etcdctl: PATH, then the usual directories. */
  private static List<Path> defaultBinaryDirectories() {
    String path = System.getenv("PATH");
    Stream<Path> onPath = path == null ? Stream.empty()
        : Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank()).map(Path::of);
    return Stream.concat(onPath, DEFAULT_BINARY_DIRS.stream()).distinct().toList();
  }

  private static Path findBinary(List<Path> directories, String name, String installHint) {
    return directories.stream()
        .map(dir -> dir.resolve(name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(installHint + " (looked in "
            + directories.stream().map(Path::toString).collect(Collectors.joining(":")) + ")"));
  }

  private record MemberSpec(String name, String ip) {
  }

  /** Collects the members and options, then {@link #start()}s them. */
  public static final class Builder {
    private final Path baseDir;
    private final List<MemberSpec> memberSpecs = new ArrayList<>();
    private String clusterToken = "etcd-address-guard-local";
    private boolean tokenWithUnsignedMemberId;
    private ServerTls tls;
    private Duration startTimeout = Duration.ofSeconds(30);
    private Path binaryDirectory;

    private Builder(Path baseDir) {
      this.baseDir = baseDir;
    }

    /** Adds a member listening on {@code ip}, a loopback address such as 127.0.0.30. */
    public Builder member(String name, String ip) {
      memberSpecs.add(new MemberSpec(name, ip));
      return this;
    }

    public Builder clusterToken(String token) {
      this.clusterToken = token;
      return this;
    }

    /**
     * Derives the cluster token from {@link #clusterToken(String)} so that at least one member ID has the top
     * bit set (above Long.MAX_VALUE as unsigned): proves that readers treat IDs as unsigned.
     */
    public Builder tokenGivingMemberIdAboveSignedRange() {
      this.tokenWithUnsignedMemberId = true;
      return this;
    }

    /** Client and peer TLS with client-certificate authentication; without it the members use plain http. */
    public Builder tls(ServerTls tls) {
      this.tls = tls;
      return this;
    }

    /** Takes etcd and etcdctl from this directory only, instead of PATH and /usr/bin. */
    public Builder binaryDirectory(Path directory) {
      this.binaryDirectory = directory;
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Starts every member and waits until each one is healthy. */
    public LocalEtcdCluster start() {
      if (memberSpecs.isEmpty()) {
        throw new IllegalArgumentException("a local etcd cluster needs at least one member");
      }
      List<Path> directories = binaryDirectory == null ? defaultBinaryDirectories() : List.of(binaryDirectory);
      Path etcd = findBinary(directories, "etcd", INSTALL_HINT_ETCD);
      Path etcdctl = findBinary(directories, "etcdctl", INSTALL_HINT_ETCDCTL);
      String scheme = tls == null ? "http" : "https";
      Map<String, MemberInfo> members = new LinkedHashMap<>();
      for (MemberSpec spec : memberSpecs) {
        String name = spec.name();
        String ip = spec.ip();
        if (members.containsKey(name)) {
          throw new IllegalArgumentException("duplicate etcd member name " + name);
        }
        int[] ports = freePorts(ip);
        members.put(name, new MemberInfo(name, ip, ports[0], ports[1],
            scheme + "://" + ip + ":" + ports[0], scheme + "://" + ip + ":" + ports[1],
            baseDir.resolve(name + ".etcd"), baseDir.resolve(name + ".log")));
      }
      String token = tokenWithUnsignedMemberId ? tokenGivingUnsignedId(members.values()) : clusterToken;
      LocalEtcdCluster cluster = new LocalEtcdCluster(this, etcd, etcdctl, members, token);
      cluster.startAll();
      return cluster;
    }

    private String tokenGivingUnsignedId(Iterable<MemberInfo> members) {
      // Each try gives every member a 1 in 2 chance: a handful of tries always suffices.
      for (int attempt = 0; attempt < 1000; attempt++) {
        String candidate = clusterToken + "-" + attempt;
        for (MemberInfo member : members) {
          if (initialMemberId(List.of(member.peerUrl()), candidate) < 0) {
            return candidate;
          }
        }
      }
      throw new IllegalStateException("no cluster token gives a member ID above Long.MAX_VALUE");
    }

    /** Two distinct free ports on {@code ip}: client, then peer. */
    private static int[] freePorts(String ip) {
      try {
        InetAddress address = InetAddress.getByName(ip);
        try (ServerSocket client = new ServerSocket(0, 1, address);
             ServerSocket peer = new ServerSocket(0, 1, address)) {
          return new int[] {client.getLocalPort(), peer.getLocalPort()};
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot find free ports on " + ip + ": " + e.getMessage(), e);
      }
    }
  }
}
