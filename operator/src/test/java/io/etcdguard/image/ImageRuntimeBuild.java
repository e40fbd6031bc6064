package io.etcdguard.image;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.SecretReference;
import io.etcdguard.bench.OperatorBench;
import io.etcdguard.testkit.Fixtures;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.etcdguard.testkit.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds what the image runs the operator with, under {@code target/image-root} (Jib packs it: operator/pom.xml):
 *
 * <ol>
 *   <li>{@code opt/java}: a Java runtime made by jlink from the JDK running this build, with its default class-data
 *       archive, plus the one library it needs that the distroless base lacks (zlib, found next to libzip.so through
 *       its {@code $ORIGIN} run path). Made again only when the JDK or the module list changed.</li>
 *   <li>{@code app/libs/*.jar} and {@code app/etcd-address-guard-operator.jar}: the class path of
 *       {@code app/operator-java-args}, copied with the file time Jib gives every file of the image (1 s past the
 *       epoch), because a class-data archive checks each jar's size and time.</li>
 *   <li>The training run: the operator started as the image starts it (that runtime, that argument file, in that
 *       directory, in-cluster configuration) against a mock API server and a real etcd over TLS, with leader election,
 *       until its second check is counted (so the first one's Events are sent too); {@code -XX:DumpLoadedClassList}
 *       records the classes.</li>
 *   <li>{@code app/operator.jsa}: a static archive of those classes ({@code -Xshare:dump}).</li>
 *   <li>A last run with {@code -Xshare:on}, which fails if the archive cannot be mapped with the image's files
 *       ({@link OperatorImage#checkArchiveMaps()}).</li>
 * </ol>
 *
 * Usage: {@code ImageRuntimeBuild OPERATOR_TARGET_DIR OPERATOR_JAR MODULES}. Any failure ends the build with the step
 * and the file it concerns.
 */
public final class ImageRuntimeBuild {
  /** The time Jib gives every file in the image (its default filesModificationTime, EPOCH_PLUS_SECOND). */
  public static final FileTime JIB_FILE_TIME = FileTime.fromMillis(1000);
  static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(120);
  /** Kept: java.util.logging holds loggers weakly, and the mock server logs every request at INFO. */
  static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private ImageRuntimeBuild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: ImageRuntimeBuild OPERATOR_TARGET_DIR OPERATOR_JAR MODULES");
    }
    Path target = Path.of(args[0]).toAbsolutePath();
    Path operatorJar = Path.of(args[1]).toAbsolutePath();
    String modules = args[2];
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    long t0 = System.nanoTime();
    OperatorImage image = OperatorImage.ofBuild(target);
    runtime(image.runtime(), modules);
    stageClassPath(image, target.resolve("operator-classpath.local"), operatorJar);
    Path classList = Files.createDirectories(target.resolve("image-cds")).resolve("classes.lst");
    train(image, classList, target.resolve("image-cds"));
    dump(image, classList, target.resolve("image-cds/dump.log"));
    image.checkArchiveMaps();
    System.out.printf("image runtime: %s and %s (%d MiB) in %d s%n", image.runtime(), image.archive(),
        Files.size(image.archive()) >> 20, (System.nanoTime() - t0) / 1_000_000_000);
  }

  // ---- 1. the runtime

  static void runtime(Path runtime, String modules) throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"));
    String stamp = "jdk=" + jdk + "\nversion=" + System.getProperty("java.vm.version") + "\nmodules=" + modules + "\n";
    Path stampFile = runtime.resolve("etcdguard-runtime.txt");
    if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
      System.out.println("image runtime: " + runtime + " is up to date (" + jdk + ", " + modules + ")");
      return;
    }
    Path jmods = jdk.resolve("jmods");
    if (!Files.isDirectory(jmods)) {
      throw new IllegalStateException("the image's Java runtime is made with jlink from " + jdk + ", which has no jmods/ directory"
          + " (Debian: apt-get install openjdk-17-jdk-headless; or run Maven with a JDK that has jmods/)");
    }
    Fixtures.deleteRecursively(runtime);
    Files.createDirectories(runtime.getParent());
    System.out.println("image runtime: jlink " + modules + " from " + jdk);
    run(List.of(jdk.resolve("bin/jlink").toString(), "--module-path", jmods.toString(), "--add-modules", modules,
        "--strip-debug", "--no-man-pages", "--no-header-files", "--generate-cds-archive", "--output", runtime.toString()),
        runtime.getParent(), runtime.getParent().resolve("jlink.log"), "jlink");
    bundleZlib(runtime);
    Files.writeString(stampFile, stamp);
  }

  /**
   * The distroless base has glibc and libstdc++ but not zlib, which the JDK's libzip.so needs; libzip.so (and the
   * launcher) look in their own directory first ({@code $ORIGIN}), so the build host's zlib goes there.
   */
  static void bundleZlib(Path runtime) throws Exception {
    Path libzip = runtime.resolve("lib/libzip.so");
    String ldd = output(List.of("ldd", libzip.toString()));
    Matcher m = Pattern.compile("libz\\.so\\.1 => (\\S+)").matcher(ldd);
    if (!m.find()) {
      if (!ldd.contains("libz.so")) {
        return; // a JDK built with its own zlib
      }
      throw new IllegalStateException("image runtime: " + libzip + " needs libz.so.1, which this host does not have:\n" + ldd);
    }
    Path zlib = Path.of(m.group(1)).toRealPath();
    Files.copy(zlib, runtime.resolve("lib/libz.so.1"), StandardCopyOption.REPLACE_EXISTING);
    String after = output(List.of("ldd", libzip.toString()));
    if (!after.contains(runtime.resolve("lib/libz.so.1").toString())) {
      throw new IllegalStateException("image runtime: libzip.so does not load the bundled zlib:\n" + after);
    }
  }

  // ---- 2. the class path as the image has it

  static void stageClassPath(OperatorImage image, Path localClassPathFile, Path operatorJar) throws IOException {
    List<String> entries = image.args().classPath();
    if (!Files.isRegularFile(localClassPathFile)) {
      throw new IllegalStateException("no " + localClassPathFile + ": the operator module's generate-resources phase writes it");
    }
    List<Path> localLibs = Stream.of(Files.readString(localClassPathFile).strip().split(":")).map(Path::of).toList();
    List<String> imageLibs = entries.stream().filter(e -> e.startsWith("libs/")).toList();
    if (imageLibs.size() != localLibs.size() || entries.size() != imageLibs.size() + 1) {
      throw new IllegalStateException(image.argsFile() + " names " + entries.size() + " class path entries, " + localClassPathFile
          + " " + localLibs.size() + " jars: expected the operator's jar and then the same jars");
    }
    // Everything under app/ but the argument file (process-resources wrote it) is made here: what an earlier build left
    // (a jar since removed from the class path, an archive of another name) would otherwise go into the image.
    try (Stream<Path> stale = Files.list(image.app())) {
      for (Path path : stale.filter(p -> !p.equals(image.argsFile())).toList()) {
        Fixtures.deleteRecursively(path);
      }
    }
    Path libs = Files.createDirectories(image.app().resolve("libs"));
    for (int i = 0; i < localLibs.size(); i++) {
      Path local = localLibs.get(i);
      String name = imageLibs.get(i).substring("libs/".length());
      if (!Files.isRegularFile(local) || !local.getFileName().toString().equals(name)) {
        throw new IllegalStateException(image.argsFile() + " names libs/" + name + " where " + localClassPathFile + " has " + local
            + " (a module of this build must be packaged as a jar: run the build from the top, with -am)");
      }
      copyAsJibDoes(local, libs.resolve(name));
    }
    copyAsJibDoes(operatorJar, image.app().resolve(entries.get(0)));
  }

  static void copyAsJibDoes(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(to, JIB_FILE_TIME);
  }

  // ---- 3. the training run

  static void train(OperatorImage image, Path classList, Path work) throws Exception {
    Files.deleteIfExists(classList);
    Path etcdDir = work.resolve("etcd");
    Fixtures.deleteRecursively(etcdDir);
    TestPki pki = TestPki.create(Files.createDirectories(work.resolve("pki")), List.of("127.0.0.1"));
    TestPki.Issued server = pki.server();
    try (LocalEtcdCluster etcd = LocalEtcdCluster.builder(etcdDir).member("training-0", "127.0.0.1")
            .tls(new LocalEtcdCluster.ServerTls(pki.caCert(), server.cert(), server.key())).start();
        MockApiServer api = new MockApiServer(true)) {
      TestPki.Issued client = pki.client(TestPki.KeyFormat.SEC1_EC);
      api.createSecret("kube-system", "etcd-client", Map.of("ca.crt", pki.caCert(), "tls.crt", client.cert(), "tls.key", client.key()));
      LocalEtcdCluster.MemberInfo member = etcd.members().get(0);
      api.createK3sNode("training-node-0", member.name(), member.ip());
      NodeAddressPolicy policy = Policies.forEndpoints("training", etcd.clientEndpoints(), "5s");
      EtcdTls tls = new EtcdTls();
      tls.setSecretRef(new SecretReference("etcd-client", "kube-system"));
      policy.getSpec().getEtcd().setTls(tls);
      api.client().resource(policy).create();

      int port = OperatorBench.freePort();
      Path log = work.resolve("training.log");
      ProcessBuilder builder = image.processBuilder(List.of("-XX:DumpLoadedClassList=" + classList), List.of(),
          List.of("operator", "--metrics-port", String.valueOf(port), "--leader-election", "--leader-election-namespace", "default"));
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(api.writeInClusterEnvironment(Files.createDirectories(work.resolve("in-cluster"))));
      builder.environment().put("POD_NAME", "training");
      Process operator = builder.start();
      try {
        long deadline = System.nanoTime() + TRAINING_TIMEOUT.toNanos();
        // Two checks: a check's Events are sent after its metrics count it, so the first check's are sure to be sent
        // (and their classes recorded) once the second is counted; the second is also the steady path (no change).
        while (OperatorBench.checks(port) < 2) {
          if (!operator.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("training run: the operator did not complete two checks within " + TRAINING_TIMEOUT.toSeconds()
                + " s (alive: " + operator.isAlive() + "); its log is " + log + ":\n" + tail(log, 30));
          }
          Thread.sleep(50);
        }
      } finally {
        operator.destroy();
        if (!operator.waitFor(30, TimeUnit.SECONDS)) {
          operator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
    if (!Files.isRegularFile(classList) || Files.size(classList) == 0) {
      throw new IllegalStateException("training run: no class list at " + classList);
    }
    System.out.println("image runtime: the training run loaded " + Files.readAllLines(classList).size() + " classes");
  }

  // ---- 4. and 5. the archive

  static void dump(OperatorImage image, Path classList, Path log) throws Exception {
    Files.deleteIfExists(image.archive());
    // -Xshare:dump takes no main class: the argument file's flags (but the archive it names) and its class path.
    JavaArgsFile args = image.args();
    List<String> command = new ArrayList<>(List.of(image.java().toString()));
    command.addAll(args.flagsWithout("-XX:SharedArchiveFile="));
    command.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
        "-XX:SharedArchiveFile=" + image.app().relativize(image.archive()), "-cp", String.join(":", args.classPath())));
    run(command, image.app(), log, "the archive dump (-Xshare:dump)");
    if (!Files.isRegularFile(image.archive())) {
      throw new IllegalStateException("the archive dump wrote no " + image.archive() + "; see " + log);
    }
  }

  // ---- plumbing

  static String run(List<String> command, Path dir, Path log, String what) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(what + ": did not end within 300 s: " + command);
    }
    if (log != null) {
      Files.writeString(log, out);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "): " + String.join(" ", command) + "\n" + out);
    }
    return out;
  }

  static String output(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
