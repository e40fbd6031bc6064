package io.etcdguard.bench;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.cli.AgentJavaArgs;
import io.etcdguard.image.JavaArgsFile;
import io.etcdguard.image.OperatorImage;
import io.etcdguard.testkit.MockApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node agent's footprint on a node (issue budget: RSS <= 64 MiB, near-zero CPU between reads), measured in child
 * JVMs started as the chart's DaemonSet starts the agent: {@code /opt/java/bin/java @/app/agent-java-args agent ...}
 * (the image's own runtime, staged by the build under target/image-root, and the agent's own argument file the build
 * writes into the image: its JVM flags, only the jars it loads, the main class; read through {@link AgentJavaArgs}) with the chart's JAVA_TOOL_OPTIONS (agent.javaToolOptions in the chart's values.yaml).
 * Beside it, in the same run, the two earlier ways to start the agent, with the same chart flags: the image's
 * entrypoint's flags (src/main/image/operator-java-args, without its class-data archive) with the operator's whole class
 * path, classes then every dependency jar, and the shaded jar ({@code java -jar}), both on this machine's java.
 * <ul>
 *   <li>reference: an idle JVM ({@link IdleJvm}, nothing loaded) with the same flags, measured in the same run;</li>
 *   <li>{@code agent --once -o json}: peak RSS (VmHWM) of one read and print, once per candidate flag;</li>
 *   <li>the long-running agent publishing to the fabric8 mock API server (https) for {@value #RUN_SECONDS} s at a 2 s
 *       read interval: RSS and peak after it settled, threads, CPU time per read between reads. It is configured as in
 *       the DaemonSet (fabric8's in-cluster path: KUBERNETES_SERVICE_HOST/PORT, service account token and CA files),
 *       and once more with --kubeconfig, which parses YAML into fabric8's model and loads several hundred more
 *       classes.</li>
 * </ul>
 * Exploring: {@code -DagentBench.try='FLAGS A|FLAGS B'} runs only the publishing agent with each set of flags as
 * JAVA_TOOL_OPTIONS, started as {@code -DagentBench.layout=daemonset} (default), {@code image} (the entrypoint) or
 * {@code jar} ({@code -DagentBench.kubeconfig=true}: with --kubeconfig).
 * Linux only (/proc/PID/status, /proc/PID/stat, /proc/PID/task). Run: ./mvnw -B -pl operator -am -Pbench verify (prints
 * figures and ratios; asserts nothing).
 */
public final class AgentBench {
  static final int RUN_SECONDS = 20;
  static final int SETTLE_SECONDS = 6;
  static final Duration READ_INTERVAL = Duration.ofSeconds(2);
  /** USER_HZ: /proc/PID/stat counts CPU time in these ticks on every Linux architecture the image supports. */
  static final double TICKS_PER_SECOND = 100.0;
  static final List<String> CANDIDATE_FLAGS = List.of("-Xss256k", "-XX:MaxMetaspaceSize=48m", "-XX:TieredStopAtLevel=1",
      "-Xint", "-Xmx24m", "-Xmx24m -Xms8m -Xmn2m", "-XX:ReservedCodeCacheSize=16m", "-XX:MaxDirectMemorySize=8m",
      "-XX:CICompilerCount=2");

  record Memory(long rssKib, long peakKib) {
    String text() {
      return String.format("RSS %6.1f MiB, peak %6.1f MiB", rssKib / 1024.0, peakKib / 1024.0);
    }
  }

  /** How a child JVM running {@code io.etcdguard.cli.Main} is started: everything before the subcommand's arguments. */
  record Launch(String name, List<String> prefix) {
    List<String> with(List<String> args) {
      List<String> command = new ArrayList<>(prefix);
      command.addAll(args);
      return command;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: AgentBench SHADED_JAR OPERATOR_POM CHART_VALUES_YAML");
    }
    Path jar = Path.of(args[0]).toAbsolutePath();
    // The image entrypoint's flags but its class-data archive, which holds the operator's classes, not the agent's.
    List<String> imageFlags = JavaArgsFile.operatorTemplate(Path.of(args[1]).getParent()).flagsWithout("-XX:SharedArchiveFile=");
    String chartFlags = chartJavaToolOptions(Path.of(args[2]));
    Path work = Files.createTempDirectory("agent-bench");
    try {
      run(jar, imageFlags, chartFlags, work);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The three ways to start the agent; the operator module's target/ holds what the build wrote for each. */
  static Map<String, Launch> launches(Path jar, List<String> imageFlags, Path work) throws IOException {
    Path target = jar.getParent();
    AgentJavaArgs agentArgs = AgentJavaArgs.ofBuild(target);
    Path imageClasspath = target.resolve("image-classpath.local");
    if (!Files.isRegularFile(imageClasspath)) {
      throw new IllegalStateException("no " + imageClasspath + ": the bench profile's image-classpath-local execution writes it");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The image's /tmp is an emptyDir; here a scratch directory stands in for it.
    List<String> jibFlags = imageFlags.stream().filter(f -> !f.startsWith("-Djava.io.tmpdir")).toList();
    List<String> entrypoint = new ArrayList<>(List.of(java));
    entrypoint.addAll(jibFlags);
    entrypoint.addAll(List.of("-Djava.io.tmpdir=" + work, "-cp",
        target.resolve("classes") + ":" + Files.readString(imageClasspath).strip(), agentArgs.mainClass()));
    List<String> shaded = new ArrayList<>(List.of(java));
    shaded.addAll(jibFlags);
    shaded.addAll(List.of("-Djava.io.tmpdir=" + work, "-jar", jar.toString()));
    Map<String, Launch> launches = new java.util.LinkedHashMap<>();
    // The DaemonSet runs the image's own runtime (target/image-root/opt/java, staged by the build unless -DskipTests).
    Path imageJava = OperatorImage.ofBuild(target).java();
    launches.put("daemonset", new Launch("DaemonSet (agent-java-args)", Files.isExecutable(imageJava)
        ? agentArgs.localCommand(imageJava, work, List.of()) : agentArgs.localCommand(work, List.of())));
    launches.put("image", new Launch("image entrypoint (all jars)", entrypoint));
    launches.put("jar", new Launch("shaded jar", shaded));
    return launches;
  }

  private static void run(Path jar, List<String> imageFlags, String chartFlags, Path work) throws Exception {
    Map<String, Launch> launches = launches(jar, imageFlags, work);
    Launch daemonSet = launches.get("daemonset");
    String explore = System.getProperty("agentBench.try", "");
    if (!explore.isBlank()) {
      // Exploring other flags: -DagentBench.try='FLAGS A|FLAGS B' runs only the publishing agent with each.
      // In-cluster configuration, as in the DaemonSet; -DagentBench.kubeconfig=true: with --kubeconfig instead.
      boolean viaKubeconfig = Boolean.getBoolean("agentBench.kubeconfig");
      Launch launch = launches.get(System.getProperty("agentBench.layout", "daemonset"));
      if (launch == null) {
        throw new IllegalArgumentException("-DagentBench.layout: one of " + launches.keySet());
      }
      try (MockApiServer api = new MockApiServer(true)) {
        Path kubeconfig = api.writeKubeconfig(work.resolve("kubeconfig"));
        Map<String, String> inCluster = api.writeInClusterEnvironment(work);
        int i = 0;
        for (String flags : explore.split("\\|")) {
          String node = "try-" + i++;
          longRun(api, launch.with(viaKubeconfig ? publishing(node, kubeconfig) : publishing(node)),
              viaKubeconfig ? Map.of() : inCluster, flags.trim(), node,
              launch.name() + ", " + flags.trim() + (viaKubeconfig ? " (kubeconfig)" : ""), work);
        }
      }
      return;
    }
    String classpath = Path.of(IdleJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    System.out.printf("AgentBench: the DaemonSet's command %s%n  chart agent.javaToolOptions: %s%n  image entrypoint JVM flags %s%n%n",
        daemonSet.prefix(), chartFlags, imageFlags);

    List<String> idle = new ArrayList<>(List.of(daemonSet.prefix().get(0)));
    idle.addAll(imageFlags.stream().filter(f -> !f.startsWith("-Djava.io.tmpdir")).toList());
    idle.addAll(List.of("-cp", classpath, IdleJvm.class.getName()));
    Memory idleImage = peakOfShortRun(idle, "");
    Memory idleChart = peakOfShortRun(idle, chartFlags);
    System.out.printf("  reference, idle JVM, image flags:        %s%n", idleImage.text());
    System.out.printf("  reference, idle JVM, image+chart flags:  %s%n", idleChart.text());

    List<String> once = List.of("agent", "--once", "-o", "json", "--node-name", "bench");
    Memory onceBare = peakOfShortRun(daemonSet.with(once), "");
    System.out.printf("  agent --once, DaemonSet command, no chart flags: %s%n", onceBare.text());
    for (String flag : CANDIDATE_FLAGS) {
      Memory one = peakOfShortRun(daemonSet.with(once), flag);
      System.out.printf("  agent --once, + %-28s peak %6.1f MiB (%+5.1f MiB)%n", flag + ":",
          one.peakKib() / 1024.0, (one.peakKib() - onceBare.peakKib()) / 1024.0);
    }
    for (Launch launch : launches.values()) {
      Memory onceChart = peakOfShortRun(launch.with(once), chartFlags);
      System.out.printf("  agent --once, %-28s chart flags: %s (%.2fx the idle JVM)%n", launch.name() + ",", onceChart.text(),
          (double) onceChart.peakKib() / idleChart.peakKib());
    }
    System.out.println();

    // As in the DaemonSet: fabric8's in-cluster configuration (service account token and CA files, https), chart flags.
    try (MockApiServer api = new MockApiServer(true)) {
      Map<String, String> inCluster = api.writeInClusterEnvironment(work);
      for (Map.Entry<String, Launch> launch : launches.entrySet()) {
        String node = "bench-" + launch.getKey();
        longRun(api, launch.getValue().with(publishing(node)), inCluster, chartFlags, node, launch.getValue().name(), work);
      }
      longRun(api, daemonSet.with(publishing("bench-no-chart-flags")), inCluster, "", "bench-no-chart-flags",
          "DaemonSet, no chart flags", work);
      // --kubeconfig (a person running the agent by hand) parses YAML into fabric8's model: more classes.
      Path kubeconfig = api.writeKubeconfig(work.resolve("kubeconfig"));
      longRun(api, daemonSet.with(publishing("bench-kubeconfig", kubeconfig)), Map.of(), chartFlags,
          "bench-kubeconfig", "DaemonSet, --kubeconfig", work);
    }
  }

  /** The agent as the DaemonSet runs it: configured from the in-cluster environment. */
  private static List<String> publishing(String node) {
    return List.of("agent", "--node-name", node, "--read-interval", READ_INTERVAL.toSeconds() + "s", "--heartbeat", "5m");
  }

  private static List<String> publishing(String node, Path kubeconfig) {
    return List.of("agent", "--node-name", node, "--kubeconfig", kubeconfig.toString(), "--read-interval",
        READ_INTERVAL.toSeconds() + "s", "--heartbeat", "5m");
  }

  /** Starts the agent, waits for its report, lets it settle, then measures memory and CPU between reads. */
  private static void longRun(MockApiServer api, List<String> command, Map<String, String> environment, String javaToolOptions,
      String node, String label, Path work) throws Exception {
    Process process = start(command, environment, javaToolOptions, work.resolve(node + ".log"));
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (api.client().resources(NodeAddressReport.class).withName(node).get() == null) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the agent published no report: " + Files.readString(work.resolve(node + ".log")));
        }
        Thread.sleep(100);
      }
      Thread.sleep(SETTLE_SECONDS * 1000L);
      long cpuBefore = cpuTicks(process.pid());
      long wallBefore = System.nanoTime();
      Memory settled = memory(process.pid());
      Thread.sleep((RUN_SECONDS - SETTLE_SECONDS) * 1000L);
      long cpuTicks = cpuTicks(process.pid()) - cpuBefore;
      double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
      Memory end = memory(process.pid());
      long threads;
      try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
        threads = tasks.count();
      }
      double reads = wallSeconds / READ_INTERVAL.toSeconds();
      double cpuSeconds = cpuTicks / TICKS_PER_SECOND;
      System.out.printf("  agent publishing, %-30s after %2d s: %s; at %2d s: %s; %d threads%n", label + ",", SETTLE_SECONDS,
          settled.text(), RUN_SECONDS, end.text(), threads);
      System.out.printf("    CPU between reads: %.2f s in %.1f s (%.2f%% of one core), %.0f ms per read (%.0f reads every %ds)%n",
          cpuSeconds, wallSeconds, 100 * cpuSeconds / wallSeconds, 1000 * cpuSeconds / reads, reads, READ_INTERVAL.toSeconds());
      System.out.printf("    at the chart's 30s read interval: %.3f%% of one core%n",
          100 * (cpuSeconds / reads) / 30.0);
    } finally {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** A child that exits by itself: VmHWM sampled every 5 ms until it ends; the last sample is its peak. */
  private static Memory peakOfShortRun(List<String> command, String javaToolOptions) throws Exception {
    Path log = Files.createTempFile("agent-bench", ".log");
    try {
      Process process = start(command, Map.of(), javaToolOptions, log);
      Memory last = new Memory(0, 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (process.isAlive() && System.nanoTime() < deadline) {
        try {
          Memory now = memory(process.pid());
          last = new Memory(Math.max(last.rssKib(), now.rssKib()), Math.max(last.peakKib(), now.peakKib()));
        } catch (IOException gone) {
          break; // exited between isAlive and the read
        }
        Thread.sleep(5);
      }
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " failed: " + Files.readString(log));
      }
      return last;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Process start(List<String> command, Map<String, String> environment, String javaToolOptions, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    env.remove("JDK_JAVA_OPTIONS");
    env.keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("KUBECONFIG"));
    env.putAll(OperatorImage.ENVIRONMENT); // the DaemonSet runs the operator's image: its environment
    env.putAll(environment);
    if (!javaToolOptions.isBlank()) {
      env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    }
    return builder.start();
  }

  static Memory memory(long pid) throws IOException {
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
    return new Memory(kib(status, "VmRSS"), kib(status, "VmHWM"));
  }

  private static long kib(String status, String field) {
    Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB").matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the command name). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** agent.javaToolOptions of the chart's values.yaml (a folded scalar: its lines joined by spaces). */
  static String chartJavaToolOptions(Path valuesYaml) throws IOException {
    var values = tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(valuesYaml.toFile());
    String flags = values.path("agent").path("javaToolOptions").asString("");
    if (flags.isBlank()) {
      throw new IllegalStateException("no agent.javaToolOptions in " + valuesYaml);
    }
    return flags.trim();
  }

  /** The reference: a JVM that loads nothing of the application and waits a moment. */
  public static final class IdleJvm {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(1500);
    }
  }
}
