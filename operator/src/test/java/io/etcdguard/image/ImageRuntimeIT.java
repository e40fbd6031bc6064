package io.etcdguard.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.cli.AgentJavaArgs;
import io.etcdguard.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image's own files, unpacked from the tarball the build wrote (target/etcd-address-guard-image.tar, Jib's, on an
 * empty base: this machine's glibc stands in for the distroless base's, the same Debian release) and run as the image
 * runs them: its runtime, its argument file, in its working directory. No container runtime is needed. The class-data
 * archive must map with exactly these files (size and time of every jar, the runtime that recorded it), and the
 * operator's CLI and the node agent must run on this runtime, which has only the modules the build linked.
 */
class ImageRuntimeIT {
  static final Path TARGET = Path.of("target").toAbsolutePath();
  static final Path EXAMPLES = Fixtures.examples();
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Pattern PROVIDER_ENTRY = Pattern.compile("^security\\.provider\\.\\d+=\\s*(\\S+)");

  @TempDir static Path root;
  static OperatorImage image;
  /** The image's configuration (Entrypoint, Env, ...), from the tarball. */
  static JsonNode config;

  @BeforeAll
  static void unpackTheImage() throws Exception {
    Path tarball = TARGET.resolve("etcd-address-guard-image.tar");
    assertThat(tarball).as("the image tarball the package phase writes").isRegularFile();
    Path blobs = Files.createDirectories(root.resolve("blobs"));
    run(List.of("tar", "-xf", tarball.toString(), "-C", blobs.toString()), root);
    JsonNode manifest = JSON.readTree(blobs.resolve("manifest.json").toFile());
    Path rootfs = Files.createDirectories(root.resolve("rootfs"));
    // In order: a later layer's file replaces an earlier one's, as in a container. tar keeps each file's mode and time.
    for (JsonNode layer : manifest.get(0).get("Layers")) {
      run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", blobs.resolve(layer.asString()).toString(), "-C", rootfs.toString()), root);
    }
    image = new OperatorImage(rootfs);
    config = JSON.readTree(blobs.resolve(manifest.get(0).get("Config").asString()).toFile());
  }

  @Test
  void theImageHasTheEnvironmentTheStagedStartsGet() {
    List<String> env = new ArrayList<>();
    config.path("config").path("Env").forEach(e -> env.add(e.asString()));
    OperatorImage.ENVIRONMENT.forEach((name, value) -> assertThat(env).as("the image's Env (Jib's container environment"
        + " in operator/pom.xml; the benchmarks and the training run start with OperatorImage.ENVIRONMENT)")
        .contains(name + "=" + value));
  }

  @Test
  void theClassDataArchiveMapsWithTheImagesOwnFiles() throws Exception {
    // -Xshare:on ends the JVM at once when the archive does not match the runtime or any jar of the class path.
    assertThat(image.checkArchiveMaps()).startsWith("etcd-address-guard");
    Process p = image.processBuilder(List.of("-Xshare:on", "-Xlog:class+load=info"), List.of(), List.of("--version"))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("the operator's own classes come from the archive")
        .containsPattern("io\\.etcdguard\\.cli\\.Main source: shared objects file");
  }

  /**
   * A provider that java.security names but the runtime lacks is searched for among the class path's providers, each
   * instantiated to read its name: BouncyCastle's (bcprov, for the PEM keys) then loads ~400 classes from its signed
   * jar, which no class-data archive holds, and costs the start 0.6 s of CPU whenever gRPC lists the providers.
   */
  @Test
  void everySecurityProviderTheRuntimeNamesIsInTheRuntime() throws Exception {
    List<String> named = new ArrayList<>();
    for (String line : Files.readAllLines(image.runtime().resolve("conf/security/java.security"))) {
      Matcher provider = PROVIDER_ENTRY.matcher(line);
      if (provider.find()) {
        named.add(provider.group(1));
      }
    }
    assertThat(named).as("java.security's providers").contains("SUN", "SunJSSE");
    Process p = new ProcessBuilder(image.java().toString(), "-Xlog:class+load=info",
        "-cp", String.join(":", image.args().classPath()), "-XshowSettings:security:providers", "-version")
        .directory(image.app().toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> listed = out.lines().map(String::strip).filter(l -> l.startsWith("Provider name: "))
        .map(l -> l.substring("Provider name: ".length())).toList();
    assertThat(listed).as("the providers the image's runtime finds (add the missing ones' modules to image.runtime.modules)")
        .containsExactlyElementsOf(named);
    assertThat(out).as("no provider instantiated from the class path").doesNotContain("org.bouncycastle.jce.provider.BouncyCastleProvider");
  }

  @Test
  void theAuditRunsOnTheImagesRuntime() throws Exception {
    Process p = image.processBuilder(List.of(), List.of(), List.of("audit",
        "--members", EXAMPLES.resolve("seed-members-temporary-ipv6.json").toString(),
        "--nodes", EXAMPLES.resolve("seed-nodes.json").toString(), "-o", "json")).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("the incident's member file has a violation: exit 1; stderr: %s", err).isEqualTo(1);
    List<String> reasons = new ArrayList<>();
    JSON.readTree(out).get("members").forEach(m -> reasons.add(m.path("primaryReason").asString("")));
    assertThat(reasons).contains("TemporaryIPv6Address");
  }

  @Test
  void theNodeAgentRunsOnTheImagesRuntime() throws Exception {
    AgentJavaArgs agent = AgentJavaArgs.ofBuild(TARGET);
    List<String> command = new ArrayList<>(agent.localCommand(image.java(), root,
        List.of("agent", "--once", "-o", "json", "--node-name", "image-runtime")));
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("stderr: %s", err).isZero();
    assertThat(JSON.readTree(out).path("metadata").path("name").asString()).isEqualTo("image-runtime");
  }

  static void run(List<String> command, Path dir) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
  }
}
