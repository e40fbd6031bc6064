package io.etcdguard.bench;

import io.etcdguard.audit.InputFiles;
import io.etcdguard.audit.RealisticNodeList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit CLI on files, beside references measured in the same run:
 * <ol>
 *   <li>in-process: reading a 5,000-Node `kubectl get nodes -o json` (generated, about 67 MB) with the
 *       streaming reader vs Jackson's plain tree parse of the same file (time and heap kept);
 *   <li>whole processes: `java -jar etcd-address-guard.jar audit` on the 3-member seed files and on the
 *       5,000-Node file vs `java -version`, with the default JVM flags, with `-XX:TieredStopAtLevel=1
 *       -XX:+UseSerialGC`, and with an AppCDS archive made by a training run;
 *   <li>the launcher script shipped beside the jar (`etcd-address-guard audit ...`, the documented command): its
 *       first run, which records the archive in an empty cache directory, and the runs after it.
 * </ol>
 * Run: ./mvnw -B -pl operator -am -Pbench verify -DskipTests (prints medians and ratios; asserts nothing).
 * Arguments: the shaded jar, the docs/examples directory, the launcher script.
 */
public final class AuditBench {
  static final int NODES = 5_000;
  static final int RUNS = Integer.getInteger("bench.runs", 7);

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path examples = Path.of(args[1]).toAbsolutePath();
    Path launcher = Path.of(args[2]).toAbsolutePath();
    Path work = Files.createTempDirectory("audit-bench");
    Path bigNodes = RealisticNodeList.write(work.resolve("nodes-5000.json"), NODES);
    Path members = examples.resolve("seed-members-registered.json");
    Path seedNodes = examples.resolve("seed-nodes.json");
    System.out.printf("AuditBench: %d Nodes, %.1f MB of `kubectl get nodes -o json` (%d images per Node), %d runs each, median%n",
        NODES, Files.size(bigNodes) / 1e6, RealisticNodeList.IMAGES, RUNS);

    inProcess(bigNodes);

    String java = ProcessHandle.current().info().command().orElse("java");
    Path archive = work.resolve("audit.jsa");
    List<String> audit3 = List.of("-jar", jar.toString(), "audit", "--members", members.toString(), "--nodes", seedNodes.toString());
    List<String> audit5k = List.of("-jar", jar.toString(), "audit", "--members", members.toString(), "--nodes", bigNodes.toString());
    List<String> fast = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    // Training run: the classes a file audit loads go into the archive.
    run(concat(java, List.of("-XX:ArchiveClassesAtExit=" + archive), audit3));
    List<String> cds = List.of("-XX:SharedArchiveFile=" + archive);

    Sample version = measure(concat(java, List.of(), List.of("-version")));
    System.out.printf("%n  whole process, ms                          wall   CPU   wall/`java -version`%n");
    print("java -version (reference)", version, version);
    print("audit, 3 Nodes, default flags", measure(concat(java, List.of(), audit3)), version);
    print("audit, 3 Nodes, C1 + SerialGC", measure(concat(java, fast, audit3)), version);
    print("audit, 3 Nodes, AppCDS", measure(concat(java, cds, audit3)), version);
    print("audit, 3 Nodes, AppCDS + C1 + SerialGC", measure(concat(java, concat(cds, fast), audit3)), version);
    print("audit, 5,000 Nodes, default flags", measure(concat(java, List.of(), audit5k)), version);
    print("audit, 5,000 Nodes, C1 + SerialGC", measure(concat(java, fast, audit5k)), version);
    print("audit, 5,000 Nodes, AppCDS + C1 + SerialGC", measure(concat(java, concat(cds, fast), audit5k)), version);

    // The launcher as a user runs it: the first run records the archive (a fresh cache directory each time).
    List<String> launch3 = List.of(launcher.toString(), "audit", "--members", members.toString(), "--nodes", seedNodes.toString());
    List<String> launch5k = List.of(launcher.toString(), "audit", "--members", members.toString(), "--nodes", bigNodes.toString());
    Path caches = Files.createDirectories(work.resolve("caches"));
    int[] fresh = {0};
    Sample first = measure(launch3, () -> Map.of("ETCD_ADDRESS_GUARD_CACHE", caches.resolve("first-" + fresh[0]++).toString()));
    Map<String, String> cache = Map.of("ETCD_ADDRESS_GUARD_CACHE", caches.resolve("kept").toString());
    run(launch3, cache);
    Sample launched3 = measure(launch3, () -> cache);
    Sample launched5k = measure(launch5k, () -> cache);
    print("launcher, 3 Nodes, first run (records)", first, version);
    print("launcher `etcd-address-guard audit`, 3 Nodes", launched3, version);
    print("launcher `etcd-address-guard audit`, 5,000 Nodes", launched5k, version);
    System.out.printf("  goals (issue 11), the documented command (launcher, archive recorded):%n");
    System.out.printf("    3 Nodes %d ms (<= 500 ms: %s), 5,000 Nodes %d ms (<= 1000 ms: %s) median wall%n",
        launched3.wallMs(), launched3.wallMs() <= 500 ? "PASS" : "FAIL", launched5k.wallMs(), launched5k.wallMs() <= 1000 ? "PASS" : "FAIL");
    deleteTree(caches);
    Files.deleteIfExists(archive);
    Files.deleteIfExists(bigNodes);
    Files.deleteIfExists(work);
  }

  /** Streaming reader vs a plain Jackson tree parse of the same file, in this JVM (warmed up): wall, CPU, heap kept. */
  static void inProcess(Path nodes) throws Exception {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    List<Long> streamMs = new ArrayList<>();
    List<Long> streamCpu = new ArrayList<>();
    List<Long> treeMs = new ArrayList<>();
    List<Long> treeCpu = new ArrayList<>();
    long streamHeap = 0;
    long treeHeap = 0;
    for (int i = 0; i < RUNS; i++) {
      long before = NodeStoreBench.used();
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      Object kept = InputFiles.readNodes(nodes);
      streamMs.add((System.nanoTime() - t0) / 1_000_000);
      streamCpu.add((threads.getCurrentThreadCpuTime() - c0) / 1_000_000);
      streamHeap = NodeStoreBench.used() - before;
      keep(kept);
      kept = null;
      before = NodeStoreBench.used();
      c0 = threads.getCurrentThreadCpuTime();
      t0 = System.nanoTime();
      JsonNode tree = JsonMapper.shared().readTree(nodes.toFile());
      treeMs.add((System.nanoTime() - t0) / 1_000_000);
      treeCpu.add((threads.getCurrentThreadCpuTime() - c0) / 1_000_000);
      treeHeap = NodeStoreBench.used() - before;
      keep(tree);
      tree = null;
    }
    System.out.printf("%n  in-process, warmed up                   wall ms  CPU ms  heap kept%n");
    System.out.printf("  Jackson tree parse (reference)          %6d  %6d %8.1f MiB%n", median(treeMs), median(treeCpu), treeHeap / 1048576.0);
    System.out.printf("  InputFiles.readNodes (streaming)        %6d  %6d %8.1f MiB%n", median(streamMs), median(streamCpu), streamHeap / 1048576.0);
    System.out.printf("  ratio streaming/tree                    %6.2f  %6.2f %8.3f%n", (double) median(streamMs) / median(treeMs),
        (double) median(streamCpu) / median(treeCpu), (double) streamHeap / treeHeap);
  }

  static void keep(Object o) {
    if (o != null && o.hashCode() == 42) {
      System.out.print("");
    }
  }

  record Sample(long wallMs, long cpuMs) {}

  static Sample measure(List<String> command) throws IOException, InterruptedException {
    return measure(command, Map::of);
  }

  /** Median of {@link #RUNS} runs after one that warms the page cache; {@code env} is asked before each run. */
  static Sample measure(List<String> command, java.util.function.Supplier<Map<String, String>> env) throws IOException, InterruptedException {
    run(command, env.get()); // warm the page cache
    List<Long> wall = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      Map<String, String> environment = env.get();
      long cpuBefore = childrenCpuMs();
      long t0 = System.nanoTime();
      run(command, environment);
      wall.add((System.nanoTime() - t0) / 1_000_000);
      cpu.add(childrenCpuMs() - cpuBefore);
    }
    return new Sample(median(wall), median(cpu));
  }

  static void run(List<String> command) throws IOException, InterruptedException {
    run(command, Map.of());
  }

  static void run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    Process p = builder.start();
    if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    int exit = p.exitValue();
    if (exit != 0) {
      throw new IllegalStateException("exit " + exit + ": " + command);
    }
  }

  /** CPU time of this process's reaped children (user + system), from /proc/self/stat, in ms. */
  static long childrenCpuMs() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields after the command: state(3) ... cutime(16) cstime(17) -> indexes 13 and 14 here
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10; // USER_HZ is 100 on Linux
  }

  static void print(String what, Sample s, Sample reference) {
    System.out.printf("  %-42s %5d %5d %8.1fx%n", what, s.wallMs(), s.cpuMs(), (double) s.wallMs() / reference.wallMs());
  }

  static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  static List<String> concat(String first, List<String> a, List<String> b) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
