package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdguard.testkit.TestPki;
import io.etcdguard.testkit.TestPki.KeyFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `copy-certs`, the init step of the chart's hostPath mode, on root-owned 0600 files like the distributions'.
 * The tests run as root (locally and in CI); the process tests drop every capability as the init container
 * does, so that the kernel's file permissions, not root's privileges, decide what may be read.
 */
class CopyCertsCommandTest {
  static final int GROUP = 65532;

  @TempDir Path dir;
  Path host;
  Path target;
  TestPki.Issued client;
  TestPki pki;

  @BeforeEach
  void distributionFiles() throws IOException {
    pki = TestPki.create(Files.createDirectory(dir.resolve("pki")), List.of("127.0.0.1"));
    client = pki.client(KeyFormat.SEC1_EC);
    host = Files.createDirectory(dir.resolve("host"));
    // As K3s keeps them: owned by root (the test user), the key 0600.
    Files.copy(pki.caCert(), host.resolve("server-ca.crt"));
    Files.copy(client.cert(), host.resolve("client.crt"));
    Files.copy(client.key(), host.resolve("client.key"));
    Files.setPosixFilePermissions(host.resolve("client.key"), PosixFilePermissions.fromString("rw-------"));
    target = Files.createDirectory(dir.resolve("emptydir"));
  }

  CliRun copyCerts(String... extra) {
    List<String> args = new ArrayList<>(List.of("copy-certs", "--cacert", host.resolve("server-ca.crt").toString(),
        "--cert", host.resolve("client.crt").toString(), "--key", host.resolve("client.key").toString(),
        "--to", target.toString(), "--group", String.valueOf(GROUP)));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void copiesAreReadableByTheGroupAndByNoOtherUser() throws IOException {
    CliRun run = copyCerts();

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(3).allMatch(line -> line.contains("(group 65532, mode 0440)"));
    assertThat(entries(target)).containsExactly("ca.crt", "tls.crt", "tls.key");
    for (String name : List.of("ca.crt", "tls.crt", "tls.key")) {
      Path copy = target.resolve(name);
      assertThat(Files.getAttribute(copy, "unix:gid")).as(name).isEqualTo(GROUP);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).as(name).isEqualTo("r--r-----");
    }
    assertThat(Files.readAllBytes(target.resolve("ca.crt"))).isEqualTo(Files.readAllBytes(pki.caCert()));
    assertThat(Files.readAllBytes(target.resolve("tls.crt"))).isEqualTo(Files.readAllBytes(client.cert()));
    assertThat(Files.readAllBytes(target.resolve("tls.key"))).isEqualTo(Files.readAllBytes(client.key()));
  }

  @Test
  void aSecondCopyReplacesTheFirstWhole() throws IOException {
    assertThat(copyCerts().exit()).isZero();
    TestPki.Issued renewed = pki.client(KeyFormat.PKCS8_EC);
    Files.copy(renewed.cert(), host.resolve("client.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(renewed.key(), host.resolve("client.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(copyCerts().exit()).isZero();

    assertThat(entries(target)).containsExactly("ca.crt", "tls.crt", "tls.key");
    assertThat(Files.readAllBytes(target.resolve("tls.key"))).isEqualTo(Files.readAllBytes(renewed.key()));
  }

  @Test
  void aMissingSourceIsOneLineNamingItAndNothingIsWritten() throws IOException {
    Files.delete(host.resolve("client.key"));

    CliRun run = copyCerts();

    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
    assertThat(run.err().lines()).containsExactly(
        "error: etcd TLS file " + host.resolve("client.key") + ": does not exist");
    assertThat(entries(target)).isEmpty();
  }

  @Test
  void aSourceThatIsNotAFileIsOneLineNamingIt() throws IOException {
    Files.delete(host.resolve("server-ca.crt"));
    Files.createDirectory(host.resolve("server-ca.crt"));

    CliRun run = copyCerts();

    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
    assertThat(run.err().lines()).containsExactly(
        "error: etcd TLS file " + host.resolve("server-ca.crt") + ": not a regular file");
    assertThat(entries(target)).isEmpty();
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedBeforeAnythingIsWritten() throws IOException {
    Files.copy(pki.client(KeyFormat.PKCS8_EC).key(), host.resolve("client.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    CliRun run = copyCerts();

    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("error: etcd TLS file " + host.resolve("client.key") + ": private key does not belong to the certificate");
    assertThat(entries(target)).isEmpty();
  }

  @Test
  void aMissingTargetDirectoryAndAMissingOptionAreUsageErrors() throws IOException {
    Files.delete(target);
    CliRun run = copyCerts();
    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
    assertThat(run.err().lines()).containsExactly("error: target directory " + target + ": does not exist");

    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("copy-certs", "--cacert", "a", "--cert", "b", "--to", "c")).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
    assertThat(err.toString()).contains("Missing required option: '--key=FILE'");
  }

  // --- as the init container runs it: UID 0, no capabilities, the pod's fsGroup as supplementary group ---

  @Test
  void rootWithoutCapabilitiesReadsTheRootOwnedKeyAndHandsItToTheGroup() throws Exception {
    CliRun run = copyCertsWithoutCapabilities();

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(entries(target)).containsExactly("ca.crt", "tls.crt", "tls.key");
    assertThat(Files.getAttribute(target.resolve("tls.key"), "unix:gid")).isEqualTo(GROUP);
    assertThat(Files.getAttribute(target.resolve("tls.key"), "unix:uid")).isEqualTo(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("tls.key")))).isEqualTo("r--r-----");
  }

  @Test
  void aSourceTheInitStepMayNotReadIsOneLineNamingItAndNothingIsWritten() throws Exception {
    // Owned by another user with mode 0600: root without CAP_DAC_OVERRIDE is refused, as on a node whose
    // distribution keeps the key under another owner.
    Files.setAttribute(host.resolve("client.key"), "unix:uid", 1000);

    CliRun run = copyCertsWithoutCapabilities();

    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
    assertThat(run.err().lines()).filteredOn(line -> !line.startsWith("Picked up JAVA_TOOL_OPTIONS"))
        .containsExactly("error: etcd TLS file " + host.resolve("client.key") + ": permission denied");
    assertThat(entries(target)).isEmpty();
  }

  /** `copy-certs` in a child JVM under setpriv: UID 0, every capability set empty, supplementary group 65532. */
  CliRun copyCertsWithoutCapabilities() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
    assumeTrue(Long.valueOf(0).equals(Long.valueOf(String.valueOf(Files.getAttribute(dir, "unix:uid")))),
        "needs to run as root, as the tests do locally and in CI");
    String java = ProcessHandle.current().info().command().orElse("java");
    Path out = dir.resolve("copy.out");
    Path err = dir.resolve("copy.err");
    Process process = new ProcessBuilder("/usr/bin/setpriv", "--reuid=0", "--regid=0", "--groups=" + GROUP,
        "--inh-caps=-all", "--bounding-set=-all", "--", java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "copy-certs", "--cacert", host.resolve("server-ca.crt").toString(),
        "--cert", host.resolve("client.crt").toString(), "--key", host.resolve("client.key").toString(),
        "--to", target.toString(), "--group", String.valueOf(GROUP))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("copy-certs did not finish within 60 s");
    }
    return new CliRun(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  static List<String> entries(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
