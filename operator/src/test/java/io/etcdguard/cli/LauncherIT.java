package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script shipped beside the jar (target/etcd-address-guard): `audit` and `plan` record an
 * application class-data archive on their first successful run and use it afterwards, print exactly what
 * `java -jar` prints, and pass every exit code through; other commands and a cache it cannot write still run.
 * Runs after `package`, on the script and jar the build wrote (copied together into a temporary directory).
 */
class LauncherIT {
  static final Path TARGET = Path.of("target");
  static final Path EXAMPLES = Fixtures.examples();
  static final String REGISTERED = EXAMPLES.resolve("seed-members-registered.json").toString();
  static final String TEMPORARY = EXAMPLES.resolve("seed-members-temporary-ipv6.json").toString();
  static final String NODES = EXAMPLES.resolve("seed-nodes.json").toString();

  @TempDir Path dir;
  Path launcher;
  Path jar;
  Path cache;

  @BeforeEach
  void install() throws IOException {
    launcher = Files.copy(TARGET.resolve("etcd-address-guard"), dir.resolve("etcd-address-guard"), StandardCopyOption.COPY_ATTRIBUTES);
    jar = Files.copy(TARGET.resolve("etcd-address-guard.jar"), dir.resolve("etcd-address-guard.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    cache = dir.resolve("cache");
  }

  record Run(int exit, String out, String err) {}

  Run launcher(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(Map.of("ETCD_ADDRESS_GUARD_CACHE", cache.toString()));
    all.putAll(env);
    return run(command, all);
  }

  Run javaJar(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  static Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  List<Path> archives() throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.toList();
    }
  }

  @Test
  void firstAuditRecordsTheArchiveAndTheNextUsesIt() throws Exception {
    Run plain = javaJar("audit", "--members", REGISTERED, "--nodes", NODES, "-o", "json");
    assertThat(plain.exit()).as(plain.err()).isZero();

    Run first = launcher(Map.of(), "audit", "--members", REGISTERED, "--nodes", NODES, "-o", "json");
    assertThat(first).as("the recording run prints what java -jar prints, and no CDS warning").isEqualTo(plain);
    assertThat(archives()).hasSize(1);
    assertThat(archives().get(0).getFileName().toString()).matches("audit-[0-9]+\\.jsa");

    Path classLog = dir.resolve("classes.log");
    Run second = launcher(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load:file=" + classLog), "audit", "--members", REGISTERED,
        "--nodes", NODES);
    assertThat(second.exit()).isZero();
    assertThat(second.out()).isEqualTo(javaJar("audit", "--members", REGISTERED, "--nodes", NODES).out());
    String loaded = Files.readString(classLog);
    assertThat(loaded).as("the audit's own classes come from the archive")
        .containsPattern("io\\.etcdguard\\.audit\\.NodeListReader source: shared objects file \\(top\\)")
        .containsPattern("io\\.etcdguard\\.check\\.Checker source: shared objects file \\(top\\)");
    assertThat(loaded).as("the file path (table output) loads neither the Kubernetes client, JOSDK nor Jackson databind")
        .doesNotContain("io.javaoperatorsdk.", "io.fabric8.kubernetes.client.", "io.etcdguard.cli.OperatorCommand",
            "io.etcdguard.cli.AgentCommand", "tools.jackson.databind.ObjectMapper ");
    assertThat(archives()).hasSize(1);
  }

  @Test
  void exitCodesPassThroughAndOnlyACompletedCommandLeavesAnArchive() throws Exception {
    Run usage = launcher(Map.of(), "audit", "--nodes", NODES);
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).isEqualTo(javaJar("audit", "--nodes", NODES).err());
    assertThat(archives()).as("a usage error records nothing").isEmpty();

    Run missing = launcher(Map.of(), "plan", "--members", dir.resolve("nope.json").toString(), "--nodes", NODES);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.json: no such file");
    assertThat(archives()).isEmpty();

    Run violations = launcher(Map.of(), "audit", "--members", TEMPORARY, "--nodes", NODES);
    assertThat(violations.exit()).as(violations.err()).isEqualTo(1);
    assertThat(violations).isEqualTo(javaJar("audit", "--members", TEMPORARY, "--nodes", NODES));
    assertThat(archives()).as("a run that found violations did its work: its archive is kept").hasSize(1);

    Run again = launcher(Map.of(), "audit", "--members", TEMPORARY, "--nodes", NODES);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).isEqualTo(violations.out());
  }

  @Test
  void otherCommandsAndAnUnwritableOrDisabledCacheStillRun() throws Exception {
    Run version = launcher(Map.of(), "--version");
    assertThat(version).isEqualTo(javaJar("--version"));
    assertThat(version.out()).startsWith("etcd-address-guard ");
    assertThat(archives()).isEmpty();

    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Run unwritable = launcher(Map.of("ETCD_ADDRESS_GUARD_CACHE", file.resolve("sub").toString()),
        "audit", "--members", REGISTERED, "--nodes", NODES);
    assertThat(unwritable.exit()).as(unwritable.err()).isZero();
    assertThat(unwritable.err()).isEmpty();

    Run disabled = launcher(Map.of("ETCD_ADDRESS_GUARD_CACHE", ""), "audit", "--members", REGISTERED, "--nodes", NODES);
    assertThat(disabled.exit()).isZero();
    assertThat(archives()).isEmpty();
  }

  @Test
  void aMissingJarIsOneLineAndExitTwo() throws Exception {
    Files.delete(jar);
    Run run = launcher(Map.of(), "audit", "--members", REGISTERED, "--nodes", NODES);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("error: " + jar + ": no such file (set ETCD_ADDRESS_GUARD_JAR to the jar)\n");
  }
}
