package io.etcdguard.bench;

import io.etcd.jetcd.Client;
import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.image.OperatorImage;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator process's cost, beside its floors, in one run (issue 11, "Lean process"): the operator as the image
 * runs it ({@link OperatorImage}: the image's own runtime, argument file, class-data archive and working directory,
 * staged by the build under target/image-root, with the image's environment), plus -XX:MaxRAM=256m for the chart's
 * 256Mi limit, against the fabric8 mock API server holding
 * 5,000 realistic Nodes and 100 policies over 100 distinct endpoint lists of two real 3-member etcd
 * clusters on loopback. References: {@code java -version}, {@code etcdctl member list -w json}, a bare
 * jetcd MemberList round trip. Prints a table of every figure with its goal and pass/fail.
 *
 * <p>Threads and RSS are the kernel's (/proc/PID/status: every thread of the process, JVM-internal ones too,
 * a superset of what ThreadMXBean counts); live heap is the class histogram's total after a full GC.
 */
public final class OperatorBench {
  static final int NODES = Integer.getInteger("bench.nodes", 5_000);
  static final int POLICIES = 100;
  static final int RUNS = Integer.getInteger("bench.runs", 5);
  static final Duration STEADY = Duration.ofSeconds(Integer.getInteger("bench.steadySeconds", 30));
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  static final String CLUSTER_LABEL = "bench.etcdguard.io/cluster";
  /** -Dbench.only=small (the 3-Node starts), large (the 5,000-Node start and all that follows it), or both (default). */
  static final String ONLY = System.getProperty("bench.only", "small,large");
  /** -Dbench.cds=false skips the AppCDS training and start. */
  static final boolean CDS = Boolean.parseBoolean(System.getProperty("bench.cds", "true"));
  /** -Dbench.largeStartOnly=true ends the large part after its start (no steady window, detection or failover). */
  static final boolean LARGE_START_ONLY = Boolean.getBoolean("bench.largeStartOnly");
  /** -Dbench.keepWork=true keeps the work directory (the operators' logs) and prints its path. */
  static final boolean KEEP_WORK = Boolean.getBoolean("bench.keepWork");
  /**
   * -Dbench.inCluster=true starts the operators as a pod does: in-cluster configuration (service account token and
   * CA files) against the mock API server over https, instead of a kubeconfig file over http.
   */
  static final boolean IN_CLUSTER = Boolean.getBoolean("bench.inCluster");

  record Row(String figure, String measured, String goal, boolean pass, String reference) {}

  static final List<Row> ROWS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    // The operator as the image runs it: its runtime, argument file (flags, class path, class-data archive) and working
    // directory, staged by the build under target/image-root (ImageRuntimeBuild). args[0] is the shaded jar beside it.
    OperatorImage image = OperatorImage.ofBuild(Path.of(args[0]).toAbsolutePath().getParent());
    if (!Files.isRegularFile(image.archive())) {
      throw new IllegalStateException("no " + image.archive() + ": build the operator module without -DskipTests first"
          + " (its package phase stages the image's runtime and archive)");
    }
    image.checkArchiveMaps();
    // -Dbench.extraJvmFlags="-XX:MaxRAMPercentage=75.0": after the image's argument file, so they win (to measure past a failure)
    List<String> jvmFlags = new ArrayList<>();
    String extra = System.getProperty("bench.extraJvmFlags", "").trim();
    if (!extra.isEmpty()) {
      jvmFlags.addAll(List.of(extra.split("\\s+")));
    }
    Path work = Files.createTempDirectory("operator-bench");
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf("OperatorBench: %d Nodes, %d policies, nproc %d, load before %s%n  child JVM: %s -XX:MaxRAM=256m @%s %s (the argument file's flags: %s)%n",
        NODES, POLICIES, Runtime.getRuntime().availableProcessors(), load, image.java(), image.argsFile(), String.join(" ", jvmFlags),
        String.join(" ", image.args().flags()));
    List<Process> children = new ArrayList<>();
    try (LocalEtcdCluster c0 = LocalEtcdCluster.builder(work.resolve("etcd0"))
            .member("bench-a0", "127.0.0.71").member("bench-a1", "127.0.0.72").member("bench-a2", "127.0.0.73").start();
        LocalEtcdCluster c1 = LocalEtcdCluster.builder(work.resolve("etcd1"))
            .member("bench-b0", "127.0.0.74").member("bench-b1", "127.0.0.75").member("bench-b2", "127.0.0.76").start()) {
      long javaVersionMs = medianMs(List.of("java", "-version"));
      long etcdctlMs = medianMs(List.of("etcdctl", "--endpoints=" + String.join(",", c0.clientEndpoints()), "member", "list", "-w", "json"));
      double jetcdMs = jetcdMemberListMs(c0.clientEndpoints());
      String floors = String.format("java -version %d ms, etcdctl member list %d ms, jetcd MemberList %.2f ms", javaVersionMs, etcdctlMs, jetcdMs);
      System.out.println("  references: " + floors);

      String tryFlags = System.getProperty("bench.try", "").trim();
      if (!tryFlags.isEmpty()) {
        compareStarts(image, tryFlags, c0, work, children);
        return;
      }

      // Start with 3 Nodes and one policy.
      if (ONLY.contains("small")) try (MockApiServer small = new MockApiServer(IN_CLUSTER)) {
        NodeAddressPolicy smallPolicy = populateSmall(small, c0);
        // The mock API server runs in this JVM, on the same two cores. Against a fresh mock its first requests run
        // cold code (1.5-2 s of this JVM's CPU during the first start, 0.6-1.0 s during later ones, measured while the
        // bench still polled), which a real API server's never is. One start warms it: reported, not counted.
        long[] harness = startToFirstCheck(image, jvmFlags, small, work, "small-harness", false, children);
        ROWS.add(new Row("the first 3-Node start, mock API server still cold (not counted)", harness[0] + " ms", "(report)", true,
            "CPU " + harness[3] + " ms"));
        int startRuns = Math.max(1, Math.min(RUNS, 5));
        // Each counted start finds the policy without status, as after an install: its first check writes one.
        long start = medianStartMs(image, jvmFlags, small, work, "small", startRuns, children, () -> withoutStatus(small, smallPolicy));
        System.out.println("  timeline of the first counted 3-Node start (ms since the logger's start):");
        timeline(work.resolve("operator-small-0.log")).forEach(line -> System.out.println("    " + line));
        ROWS.add(new Row("start -> first check, 3 Nodes (median of " + startRuns + ", policy without status)", start + " ms", "<= 2000 ms",
            start <= 2000, "java -version " + javaVersionMs + " ms (" + ratio(start, javaVersionMs) + ")"));
        // The reference: the same start without the image's archive (the runtime's default one, JDK classes only).
        if (CDS) {
          List<String> without = new ArrayList<>(jvmFlags);
          without.add("-XX:SharedArchiveFile=" + image.runtime().resolve("lib/server/classes.jsa"));
          long plain = medianStartMs(image, without, small, work, "no-app-archive", startRuns, children,
              () -> withoutStatus(small, smallPolicy));
          ROWS.add(new Row("the same start without the image's class-data archive (JDK classes' only)", plain + " ms", "(report)", true,
              "the image's start is " + ratio(start, plain) + " of it; archive " + mib(Files.size(image.archive()))));
        } else {
          System.out.println("  the start without the image's archive skipped (-Dbench.cds=false)");
        }
      }

      if (ONLY.contains("large")) try (MockApiServer api = new MockApiServer(IN_CLUSTER)) {
        populate(api, c0, c1);
        System.out.printf("  mock API server holds %d Nodes and %d policies%n", api.client().nodes().list().getItems().size(),
            api.client().resources(NodeAddressPolicy.class).list().getItems().size());
        // What the mock costs the 5,000-Node start: it answers the Node informers' label-selector lists by scanning
        // (and copying) every stored Node; a real API server answers them from its watch cache.
        System.out.printf("  mock API server: a label-selector list of the 3 Nodes of a cluster among %d takes %.0f ms (median of 5)%n",
            NODES, medianListMs(api));
        Sampler sampler = new Sampler();
        long benchCpu0 = benchCpuMs();
        long[] started = startToFirstCheck(image, jvmFlags, api, work, "a", true, children, sampler);
        System.out.printf("  CPU during that start: operator %d ms; this JVM (the mock API server, sampling) %d ms%n",
            started[3], benchCpuMs() - benchCpu0);
        long pid = started[1];
        int port = (int) started[2];
        System.out.println("  timeline of that start (ms since the logger's start, which follows the JVM's by little):");
        timeline(work.resolve("operator-a.log")).forEach(line -> System.out.println("    " + line));
        ROWS.add(new Row("start -> first check, " + NODES + " Nodes", started[0] + " ms", "<= 4000 ms", started[0] <= 4000,
            "java -version " + javaVersionMs + " ms (" + ratio(started[0], javaVersionMs) + "); CPU " + started[3] + " ms"));
        if (LARGE_START_ONLY) {
          String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
          print(floors, load, loadAfter);
          return;
        }
        // sampled on the way too: the first checks of all policies are part of the start
        await("every policy compliant", Duration.ofSeconds(120), () -> {
          sampler.sample(pid);
          return compliantCount(api) == POLICIES;
        }, Duration.ofMillis(100));
        // Steady state: sample for a while once every policy has been checked.
        Sampler steady = new Sampler();
        double checksBefore = checks(port);
        double checkSecondsBefore = metricSum(port, "etcdguard_check_duration_seconds_sum{");
        long windowStart = System.nanoTime();
        long until = System.nanoTime() + STEADY.toNanos();
        while (System.nanoTime() < until) {
          sampler.sample(pid);
          steady.sample(pid);
          Thread.sleep(250);
        }
        // Little's law: reconcile threads busy on average = checks per second x mean check duration
        double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
        double steadyChecks = checks(port) - checksBefore;
        double checkSeconds = metricSum(port, "etcdguard_check_duration_seconds_sum{") - checkSecondsBefore;
        System.out.printf("  reconcile load (steady): %.1f checks/s, mean check %.1f ms, %.2f reconcile threads busy on average%n",
            steadyChecks / windowSeconds, steadyChecks == 0 ? 0 : checkSeconds * 1000 / steadyChecks, checkSeconds / windowSeconds);
        long liveHeap = liveHeapBytes(pid);
        long peakRss = peakRssKb(pid);
        double checks = checks(port);
        ROWS.add(new Row("threads steady (max over " + STEADY.toSeconds() + " s)", String.valueOf(steady.maxThreads), "<= 48",
            steady.maxThreads <= 48, "100 policies on 100 endpoint lists; " + (long) checks + " checks so far"));
        ROWS.add(new Row("threads peak (from start)", String.valueOf(sampler.maxThreads), "<= 48", sampler.maxThreads <= 48, "JOSDK default pool: 50"));
        ROWS.add(new Row("RSS steady (max over " + STEADY.toSeconds() + " s)", mib(steady.maxRssKb * 1024), "<= 160 MiB",
            steady.maxRssKb <= 160 * 1024, "limit 256 MiB"));
        ROWS.add(new Row("RSS peak (VmHWM)", mib(peakRss * 1024), "<= 160 MiB", peakRss <= 160 * 1024, "limit 256 MiB"));
        ROWS.add(new Row("heap after full GC", mib(liveHeap), "(report)", true, "issue 11 baseline 33-35 MiB"));
        System.out.println("  threads by pool (steady): " + threadsByPool(pid));
        System.out.println("  threads by pool (at the peak, " + sampler.maxThreads + "): " + sampler.poolsAtPeak);

        detectMemberUpdate(api, c0, jetcdMs);
        detectNodeChange(api, c1, jetcdMs);
        failover(image, jvmFlags, api, work, children, children.get(children.size() - 1), port, jetcdMs);
      }
      String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
      print(floors, load, loadAfter);
    } finally {
      for (Process p : children) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      if (KEEP_WORK) {
        System.out.println("  work directory kept: " + work);
      } else {
        deleteRecursively(work);
      }
    }
  }

  // ---- scenarios

  /**
   * -Dbench.try='FLAGS A|FLAGS B|...': only the 3-Node start (policy without status, as the table's), with each set of
   * flags (after the image's argument file's, so they win) in turn, A B A B ..., bench.runs rounds after one start to
   * warm the mock API server, and each set's median wall and CPU. Alternating pairs compare flags, or a build's
   * system property, on a machine whose speed drifts over minutes, which starts run one set after the other do not.
   */
  static void compareStarts(OperatorImage image, String tryFlags, LocalEtcdCluster c0, Path work, List<Process> children) throws Exception {
    List<List<String>> variants = new ArrayList<>();
    for (String flags : tryFlags.split("\\|")) {
      // "-Dbench.none" or any flag that changes nothing keeps every variant on the same (spelled-out) command line.
      variants.add(List.of(flags.trim().split("\\s+")));
    }
    try (MockApiServer small = new MockApiServer(IN_CLUSTER)) {
      NodeAddressPolicy smallPolicy = populateSmall(small, c0);
      startToFirstCheck(image, variants.get(0), small, work, "try-warm", false, children);
      List<List<Long>> wall = new ArrayList<>();
      List<List<Long>> cpu = new ArrayList<>();
      variants.forEach(v -> {
        wall.add(new ArrayList<>());
        cpu.add(new ArrayList<>());
      });
      for (int round = 0; round < RUNS; round++) {
        for (int v = 0; v < variants.size(); v++) {
          withoutStatus(small, smallPolicy); // as the table's starts
          long[] started = startToFirstCheck(image, variants.get(v), small, work, "try-" + v + "-" + round, false, children);
          wall.get(v).add(started[0]);
          cpu.get(v).add(started[3]);
        }
      }
      for (int v = 0; v < variants.size(); v++) {
        System.out.printf("  %-60s start -> first check: median %d ms (%s), CPU median %d ms%n", String.join(" ", variants.get(v)),
            median(wall.get(v)), wall.get(v), median(cpu.get(v)));
      }
    }
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  static void detectMemberUpdate(MockApiServer api, LocalEtcdCluster c0, double jetcdMs) throws Exception {
    LocalEtcdCluster.MemberInfo m = c0.members().get(0);
    long t0 = System.nanoTime();
    c0.updatePeerUrl(m.name(), "http://127.0.0.99:" + m.peerPort());
    long updated = System.nanoTime();
    long[] firstAndAll = untilNonCompliant(api, "c0", t0);
    ROWS.add(new Row("detection after member update (all " + POLICIES / 2 + " policies, 5 s interval)", firstAndAll[1] + " ms",
        "<= 5000 ms + check", firstAndAll[1] <= 5_500, "first policy " + firstAndAll[0] + " ms; member update itself "
        + (updated - t0) / 1_000_000 + " ms; jetcd " + String.format("%.2f ms", jetcdMs)));
    c0.updatePeerUrl(m.name(), m.peerUrl());
    await("cluster 0 compliant again", Duration.ofSeconds(60), () -> compliantCount(api) == POLICIES);
  }

  static void detectNodeChange(MockApiServer api, LocalEtcdCluster c1, double jetcdMs) throws Exception {
    String nodeName = "bench-node-b0";
    Node node = api.client().nodes().withName(nodeName).get();
    long t0 = System.nanoTime();
    api.client().nodes().withName(nodeName).edit(n -> new NodeBuilder(n).editStatus()
        .withAddresses(new NodeAddressBuilder().withType("InternalIP").withAddress("127.0.0.98").build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(nodeName).build()).endStatus().build());
    long[] firstAndAll = untilNonCompliant(api, "c1", t0);
    ROWS.add(new Row("Node change -> re-check (first policy)", firstAndAll[0] + " ms", "<= 1000 ms", firstAndAll[0] <= 1_000,
        "all " + POLICIES / 2 + " policies " + firstAndAll[1] + " ms; jetcd " + String.format("%.2f ms", jetcdMs)));
    api.client().nodes().withName(nodeName).edit(n -> new NodeBuilder(n).editStatus()
        .withAddresses(node.getStatus().getAddresses()).endStatus().build());
    await("cluster 1 compliant again", Duration.ofSeconds(60), () -> compliantCount(api) == POLICIES);
  }

  static void failover(OperatorImage image, List<String> flags, MockApiServer api, Path work, List<Process> children, Process leader,
      int leaderPort, double jetcdMs) throws Exception {
    int port = freePort();
    Process standby = launch(image, flags, api, work, "b", true, port, children);
    await("standby up and following", Duration.ofSeconds(120),
        () -> logContains(work.resolve("operator-b.log"), "leader is replica-a") && checks(port) == 0 && metricsUp(port));
    long t0 = System.nanoTime();
    leader.destroyForcibly();
    leader.waitFor(10, TimeUnit.SECONDS);
    await("the standby checks", Duration.ofSeconds(60), () -> checks(port) > 0, Duration.ofMillis(20));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    ROWS.add(new Row("failover: SIGKILL -> first check by the new leader", ms + " ms", "<= 10000 ms", ms <= 10_000,
        "lease 6 s + 1.2 x 1 s retry = 7200 ms bound"));
    if (!standby.isAlive()) {
      throw new IllegalStateException("the new leader exited; see " + work.resolve("operator-b.log"));
    }
  }

  // ---- the child operator

  /** The median of {@code runs} starts to the first check, without leader election. */
  /** The median of {@code runs} starts, {@code beforeEach} run before each (outside the timing). */
  static long medianStartMs(OperatorImage image, List<String> flags, MockApiServer api, Path work, String name, int runs,
      List<Process> children, Runnable beforeEach) throws Exception {
    List<Long> ms = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    List<Long> benchCpu = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      beforeEach.run();
      long benchCpu0 = benchCpuMs();
      long[] started = startToFirstCheck(image, flags, api, work, name + "-" + i, false, children);
      benchCpu.add(benchCpuMs() - benchCpu0);
      ms.add(started[0]);
      cpu.add(started[3]);
    }
    System.out.printf("  %s starts: wall %s ms, CPU (user + system, all threads) %s ms; this JVM's CPU meanwhile (mock API"
        + " server, waiting) %s ms%n", name, ms, cpu, benchCpu);
    ms.sort(null);
    return ms.get(ms.size() / 2);
  }

  /** The 3-Node cluster of the small starts: the three etcd Nodes of c0 and one policy on its endpoints, returned. */
  static NodeAddressPolicy populateSmall(MockApiServer small, LocalEtcdCluster c0) {
    List<LocalEtcdCluster.MemberInfo> members = c0.members();
    for (int i = 0; i < 3; i++) {
      small.client().resource(etcdNode("bench-node-a" + i, members.get(i), "c0", i)).create();
    }
    NodeAddressPolicy policy = policy("p-small", c0.clientEndpoints(), "c0");
    small.client().resource(policy).create();
    return policy;
  }

  /** The policy deleted and created again, so that it has no status (the first check writes one, as after an install). */
  static void withoutStatus(MockApiServer api, NodeAddressPolicy policy) {
    api.client().resource(policy).withTimeout(10, TimeUnit.SECONDS).delete();
    api.client().resource(policy).create();
  }

  /** The first log line of each start step: the split of a start. */
  static List<String> timeline(Path log) throws IOException {
    List<String> steps = List.of("Created configuration", "Operator SDK", "Starting 'nodeaddresspolicy' controller", " leads: ",
        "controller started", "opening etcd client", "watching Nodes", "policy p-");
    List<String> lines = Files.readAllLines(log);
    List<String> found = new ArrayList<>();
    for (String step : steps) {
      lines.stream().filter(l -> l.contains(step)).findFirst()
          .ifPresent(l -> found.add(l.length() > 160 ? l.substring(0, 160) + "..." : l));
    }
    return found;
  }

  /** The process's threads by name with trailing numbers dropped (the pools), largest first. */
  static String threadsByPool(long pid) {
    Map<String, Integer> pools = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-# ]*\\d+$", "");
          pools.merge(name, 1, Integer::sum);
        } catch (IOException gone) {
          // the thread ended
        }
      }
    } catch (IOException gone) {
      return "(process gone)";
    }
    return pools.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
  }

  static long[] startToFirstCheck(OperatorImage image, List<String> flags, MockApiServer api, Path work, String name, boolean leaderElection,
      List<Process> children) throws Exception {
    return startToFirstCheck(image, flags, api, work, name, leaderElection, children, new Sampler());
  }

  /**
   * Starts an operator and returns {wall ms to its first completed check, pid, metrics port, CPU ms by then}. The
   * policies it finds must have no status (created or {@link #withoutStatus re-created} for it): its first check
   * then ends with a status write, which the mock API server reports as it stores it. Nothing asks the operator
   * itself: polling its /metrics every 10 ms, as this did before, cost its start about 200 ms (alternating pairs,
   * docs/performance.md).
   */
  static long[] startToFirstCheck(OperatorImage image, List<String> flags, MockApiServer api, Path work, String name, boolean leaderElection,
      List<Process> children, Sampler sampler) throws Exception {
    int port = freePort();
    AtomicLong statusStoredAt = new AtomicLong();
    try (MockApiServer.Registration watching = api.onHandled((method, path) -> {
      if (isPolicyStatusWrite(method, path)) {
        statusStoredAt.compareAndSet(0, System.nanoTime());
      }
    })) {
      long t0 = System.nanoTime();
      Process p = launch(image, flags, api, work, name, leaderElection, port, children);
      long deadline = t0 + Duration.ofSeconds(120).toNanos();
      while (statusStoredAt.get() == 0) {
        sampler.sample(p.pid());
        if (System.nanoTime() > deadline || !p.isAlive()) {
          Path log = work.resolve("operator-" + name + ".log");
          System.out.println("---- tail of " + log);
          List<String> lines = Files.readAllLines(log);
          lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
          throw new IllegalStateException("operator " + name + " wrote no policy status within 120 s; see " + log);
        }
        Thread.sleep(10);
      }
      return afterFirstCheck(p, (statusStoredAt.get() - t0) / 1_000_000, name, leaderElection, port);
    }
  }

  /** A policy's status written: PATCH or PUT of /apis/etcdguard.io/v1alpha1/nodeaddresspolicies/NAME/status. */
  static boolean isPolicyStatusWrite(String method, String path) {
    String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    return (method.equals("PATCH") || method.equals("PUT"))
        && withoutQuery.startsWith("/apis/etcdguard.io/v1alpha1/nodeaddresspolicies/") && withoutQuery.endsWith("/status");
  }

  static long[] afterFirstCheck(Process p, long ms, String name, boolean leaderElection, int port) throws Exception {
    long cpuMs = cpuMs(p.pid());
    if (Boolean.getBoolean("bench.threadCpu")) {
      System.out.println("  " + name + " CPU by thread at the first check: " + cpuByThread(p.pid()));
    }
    if (!leaderElection) {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
    return new long[] {ms, p.pid(), port, cpuMs};
  }

  static Process launch(OperatorImage image, List<String> flags, MockApiServer api, Path work, String name, boolean leaderElection, int port,
      List<Process> children) throws IOException {
    List<String> command = new ArrayList<>(List.of("operator", "--metrics-port", String.valueOf(port)));
    if (!IN_CLUSTER) {
      command.addAll(List.of("--kubeconfig", api.writeKubeconfig(work.resolve("kubeconfig-" + name)).toString()));
    }
    if (leaderElection) {
      command.addAll(List.of("--leader-election", "--leader-election-namespace", "default"));
    }
    // -XX:MaxRAM: the container limit the argument file's percentages refer to.
    ProcessBuilder builder = image.processBuilder(List.of("-XX:MaxRAM=256m"), flags, command).redirectErrorStream(true)
        .redirectOutput(work.resolve("operator-" + name + ".log").toFile());
    if (IN_CLUSTER) {
      Path dir = Files.createDirectories(work.resolve("in-cluster-" + name));
      builder.environment().putAll(api.writeInClusterEnvironment(dir));
    }
    builder.environment().put("POD_NAME", "replica-" + name);
    Process p = builder.start();
    children.add(p);
    return p;
  }

  // ---- the cluster

  static void populate(MockApiServer api, LocalEtcdCluster c0, LocalEtcdCluster c1) throws Exception {
    for (int i = 0; i < 3; i++) {
      api.client().resource(etcdNode("bench-node-a" + i, c0.members().get(i), "c0", i)).create();
      api.client().resource(etcdNode("bench-node-b" + i, c1.members().get(i), "c1", i + 3)).create();
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> created = new ArrayList<>();
    for (int i = 6; i < NODES; i++) {
      int n = i + 3; // NodeStoreBench makes Nodes 0-2 etcd servers; these are workers
      created.add(pool.submit(() -> api.client().resource(NodeStoreBench.realisticNode(n)).create()));
    }
    for (Future<?> f : created) {
      f.get();
    }
    pool.shutdown();
    List<List<String>> lists = endpointLists(c0.clientEndpoints(), POLICIES / 2);
    List<List<String>> lists1 = endpointLists(c1.clientEndpoints(), POLICIES / 2);
    for (int i = 0; i < POLICIES / 2; i++) {
      api.client().resource(policy("p-c0-" + i, lists.get(i), "c0")).create();
      api.client().resource(policy("p-c1-" + i, lists1.get(i), "c1")).create();
    }
  }

  /** Distinct endpoint lists of one cluster: every order of 1 to 4 endpoints, repeats allowed. */
  static List<List<String>> endpointLists(List<String> endpoints, int count) {
    List<List<String>> lists = new ArrayList<>();
    List<List<String>> frontier = new ArrayList<>(List.of(List.of()));
    while (lists.size() < count) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : frontier) {
        for (String e : endpoints) {
          List<String> l = new ArrayList<>(prefix);
          l.add(e);
          next.add(l);
        }
      }
      lists.addAll(next);
      frontier = next;
    }
    return lists.subList(0, count);
  }

  static NodeAddressPolicy policy(String name, List<String> endpoints, String cluster) {
    NodeAddressPolicy p = Policies.forEndpoints(name, endpoints, "5s");
    p.getSpec().setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(CLUSTER_LABEL, cluster).build());
    return p;
  }

  /** A realistic Node (images, conditions, managed fields) that is the etcd member's server. */
  static Node etcdNode(String name, LocalEtcdCluster.MemberInfo member, String cluster, int i) {
    Node realistic = NodeStoreBench.realisticNode(i);
    Map<String, String> labels = new HashMap<>(realistic.getMetadata().getLabels());
    labels.put("node-role.kubernetes.io/etcd", "true");
    labels.put("kubernetes.io/hostname", name);
    labels.put(CLUSTER_LABEL, cluster);
    Map<String, String> annotations = new HashMap<>(realistic.getMetadata().getAnnotations());
    annotations.put("etcd.k3s.cattle.io/node-name", member.name());
    annotations.put("etcd.k3s.cattle.io/node-address", member.ip());
    return new NodeBuilder(realistic).editMetadata().withName(name).withResourceVersion(null).withLabels(labels)
        .withAnnotations(annotations).endMetadata()
        .editStatus().withAddresses(new NodeAddressBuilder().withType("InternalIP").withAddress(member.ip()).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(name).build()).endStatus()
        .build();
  }

  // ---- observation

  static int compliantCount(MockApiServer api) {
    return (int) api.client().resources(NodeAddressPolicy.class).list().getItems().stream()
        .filter(p -> p.getStatus() != null && "True".equals(Conditions.status(p.getStatus(), "Compliant"))).count();
  }

  /** ms from t0 to the first, and to the last, of a cluster's policies showing Compliant=False. */
  static long[] untilNonCompliant(MockApiServer api, String cluster, long t0) throws InterruptedException {
    long first = -1;
    long deadline = t0 + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      long nonCompliant = api.client().resources(NodeAddressPolicy.class).list().getItems().stream()
          .filter(p -> p.getMetadata().getName().startsWith("p-" + cluster + "-"))
          .filter(p -> p.getStatus() != null && "False".equals(Conditions.status(p.getStatus(), "Compliant"))).count();
      long now = (System.nanoTime() - t0) / 1_000_000;
      if (nonCompliant > 0 && first < 0) {
        first = now;
      }
      if (nonCompliant == POLICIES / 2) {
        return new long[] {first, now};
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("cluster " + cluster + "'s policies did not all turn Compliant=False within 60 s");
  }

  static final class Sampler {
    int maxThreads;
    long maxRssKb;
    /** The threads by pool when the count first reached its maximum: where the peak comes from. */
    String poolsAtPeak = "";

    void sample(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("Threads:")) {
            int threads = Integer.parseInt(line.substring(8).trim());
            if (threads > maxThreads) {
              maxThreads = threads;
              poolsAtPeak = threadsByPool(pid);
            }
          } else if (line.startsWith("VmRSS:")) {
            maxRssKb = Math.max(maxRssKb, Long.parseLong(line.substring(6).replace("kB", "").trim()));
          }
        }
      } catch (IOException | RuntimeException gone) {
        // the process is starting or gone: no sample
      }
    }
  }

  /** The process's CPU time so far (utime + stime of /proc/PID/stat, every thread), in ms; -1 when gone. */
  static long cpuMs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command: state is field 3, utime 14, stime 15 (1-based over the whole line)
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  /** Median wall time of the Node list a policy's informer makes (label selector of one cluster). */
  static double medianListMs(MockApiServer api) {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      int found = api.client().nodes().withLabel(CLUSTER_LABEL, "c0").list().getItems().size();
      ms.add((System.nanoTime() - t0) / 1e6);
      if (found != 3) {
        throw new IllegalStateException("the selector found " + found + " Nodes, not 3");
      }
    }
    ms.sort(null);
    return ms.get(ms.size() / 2);
  }

  /** This JVM's CPU time so far, all threads. */
  static long benchCpuMs() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  /** CPU ms per thread name (trailing numbers dropped), largest first: where a start's CPU went. */
  static String cpuByThread(long pid) {
    Map<String, Long> byName = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-# ]*\\d+$", "");
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byName.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended
        }
      }
    } catch (IOException gone) {
      return "(process gone)";
    }
    return byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).filter(e -> e.getValue() > 0)
        .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
  }

  static long peakRssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    throw new IllegalStateException("no VmHWM for " + pid);
  }

  /** The class histogram's total (it runs a full GC first): the live heap. */
  static long liveHeapBytes(long pid) throws Exception {
    String histogram = output(List.of("jcmd", String.valueOf(pid), "GC.class_histogram"));
    Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
    if (!total.find()) {
      throw new IllegalStateException("no Total in jcmd GC.class_histogram output");
    }
    return Long.parseLong(total.group(1));
  }

  /** etcdguard_checks_total on the operator's /metrics; 0 when there is none or no answer (ImageRuntimeBuild waits on it too). */
  public static double checks(int port) {
    return metricSum(port, "etcdguard_checks_total{");
  }

  /** The sum of every series on /metrics whose line starts with {@code prefix}; 0 when there is none or no answer. */
  static double metricSum(int port, String prefix) {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return body.lines().filter(l -> l.startsWith(prefix))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  static boolean metricsUp(int port) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  // ---- references

  static long medianMs(List<String> command) throws Exception {
    run(command);
    List<Long> wall = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      run(command);
      wall.add((System.nanoTime() - t0) / 1_000_000);
    }
    wall.sort(null);
    return wall.get(wall.size() / 2);
  }

  /** A bare jetcd client's MemberList round trip, warm: the floor of one check. */
  static double jetcdMemberListMs(List<String> endpoints) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build()) {
      for (int i = 0; i < 10; i++) {
        client.getClusterClient().listMember().get(10, TimeUnit.SECONDS);
      }
      List<Long> nanos = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        long t0 = System.nanoTime();
        client.getClusterClient().listMember().get(10, TimeUnit.SECONDS);
        nanos.add(System.nanoTime() - t0);
      }
      nanos.sort(null);
      return nanos.get(nanos.size() / 2) / 1e6;
    }
  }

  // ---- plumbing

  static void print(String floors, String loadBefore, String loadAfter) {
    System.out.println();
    System.out.printf("  %-58s %12s %-18s %-5s %s%n", "figure", "measured", "goal", "pass", "reference (same run)");
    for (Row r : ROWS) {
      System.out.printf("  %-58s %12s %-18s %-5s %s%n", r.figure(), r.measured(), r.goal(), r.pass() ? "PASS" : "FAIL", r.reference());
    }
    System.out.println("  floors: " + floors);
    System.out.println("  load average before: " + loadBefore + "; after: " + loadAfter);
  }

  static String ratio(long ms, long reference) {
    return String.format("%.1fx", (double) ms / reference);
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  static boolean logContains(Path log, String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  static void await(String what, Duration atMost, BooleanSupplier condition) throws InterruptedException {
    await(what, atMost, condition, Duration.ofMillis(200));
  }

  static void await(String what, Duration atMost, BooleanSupplier condition, Duration poll) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for: " + what);
      }
      Thread.sleep(poll.toMillis());
    }
  }

  static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("exit " + p.exitValue() + ": " + command);
    }
  }

  static String output(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("failed: " + command + ": " + out);
    }
    return out;
  }

  public static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    io.etcdguard.testkit.Fixtures.deleteRecursively(dir);
  }
}
