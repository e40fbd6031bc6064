package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/**
 * The operator's container image as the build writes it (Jib's tarball, on an empty base: see operator/pom.xml):
 * its config (entrypoint, user, port, labels) and what its layers hold. No registry nor container runtime is
 * needed: the tarball is read as plain tar (commons-compress).
 */
class ContainerImageTest {
  static final String MAIN_CLASS = "io.etcdguard.cli.Main";
  /** The node agent's JVM argument file, as a layer path (the chart's DaemonSet runs java @/app/agent-java-args). */
  static final String AGENT_JAVA_ARGS = AgentChartTest.AGENT_JAVA_ARGS.substring(1);

  static Map<String, Object> config;
  /** The layer files manifest.json lists, in order. */
  static List<String> manifestLayers;
  static List<Object> diffIds;
  /** Every path in every layer, without a leading "/". */
  static Set<String> files;
  /** The files of the layers that Jib writes as text (the classpath argument file) and the two argument files, by path. */
  static Map<String, String> smallTextFiles;
  /** Mode and modification time (epoch seconds) of every regular file, by path. */
  static Map<String, long[]> modeAndTime;
  /** The operator's JVM argument file, as a layer path (the entrypoint runs /opt/java/bin/java @/app/operator-java-args). */
  static final String OPERATOR_JAVA_ARGS = "app/operator-java-args";

  /** Why the image cannot be checked in this build, or null. */
  static String skipReason;

  @BeforeAll
  static void readImage() throws IOException {
    Path tarball = ProjectFiles.operatorImageTarball();
    Path operatorTarget = tarball.getParent();
    // -DskipTests also skips the operator's jib execution: the classes are there, the image (and Jib's report) not.
    if (!Files.exists(tarball) && Files.isDirectory(operatorTarget.resolve("classes"))
        && !Files.exists(operatorTarget.resolve("jib-image.json"))) {
      skipReason = "no image tarball at " + tarball + ": the operator module was built with -DskipTests, which skips"
          + " its jib buildTar execution; build with tests (./mvnw -B -pl helm -am verify) to check the image";
      System.err.println("ContainerImageTest skipped: " + skipReason);
      return;
    }
    assertThat(tarball).as("the operator's image tarball; build it with ./mvnw -B -pl helm -am verify").isRegularFile();

    Map<String, byte[]> topLevel = new HashMap<>();
    Map<String, Set<String>> layerFiles = new HashMap<>();
    smallTextFiles = new HashMap<>();
    modeAndTime = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (entry.getName().endsWith(".tar.gz")) {
          layerFiles.put(entry.getName(), layerContents(tar));
        } else {
          topLevel.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    assertThat(topLevel).containsKeys("manifest.json", "config.json");
    List<Map<String, Object>> manifest = Yaml.JSON.readValue(topLevel.get("manifest.json"),
        new TypeReference<List<Map<String, Object>>>() { });
    assertThat(manifest).hasSize(1);
    assertThat(manifest.get(0).get("Config")).isEqualTo("config.json");
    @SuppressWarnings("unchecked")
    List<String> layers = (List<String>) manifest.get(0).get("Layers");
    manifestLayers = layers;
    Map<String, Object> image = Yaml.jsonMap(new String(topLevel.get("config.json"), StandardCharsets.UTF_8));
    config = Yaml.at(image, "config");
    diffIds = Yaml.at(image, "rootfs", "diff_ids");

    assertThat(layerFiles.keySet()).as("layer files in the tarball").containsExactlyInAnyOrderElementsOf(layers);
    files = new HashSet<>();
    layerFiles.values().forEach(files::addAll);
  }

  @BeforeEach
  void imageWasBuilt() {
    assumeTrue(skipReason == null, skipReason);
  }

  /**
   * Lists a gzipped layer (the current entry of the image tarball), keeping the content of the few small text files
   * Jib writes under /app. The layer's streams are not closed: that would close the image tarball.
   */
  private static Set<String> layerContents(InputStream gzipped) throws IOException {
    Set<String> names = new HashSet<>();
    TarArchiveInputStream layer = new TarArchiveInputStream(new GZIPInputStream(gzipped, 64 * 1024));
    for (TarArchiveEntry entry = layer.getNextEntry(); entry != null; entry = layer.getNextEntry()) {
      String name = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
      names.add(name);
      if (entry.isFile()) {
        modeAndTime.put(name, new long[] {entry.getMode() & 07777, entry.getModTime().getTime() / 1000});
      }
      if ((name.startsWith("app/jib-") || name.equals(AGENT_JAVA_ARGS) || name.equals(OPERATOR_JAVA_ARGS)) && entry.getSize() < 1 << 20) {
        smallTextFiles.put(name, new String(layer.readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    }
    return names;
  }

  @Test
  void entrypointRunsTheImagesOwnJavaWithTheOperatorsArgumentFileInApp() {
    assertThat(Yaml.<List<String>>at(config, "Entrypoint")).containsExactly("/opt/java/bin/java", "@/" + OPERATOR_JAVA_ARGS);
    assertThat(Yaml.<String>at(config, "WorkingDir")).as("the argument file's class path is relative to it").isEqualTo("/app");
    List<String> words = operatorArgs();
    assertThat(words).contains("-XX:MaxRAMPercentage=40.0", "-XX:MaxHeapFreeRatio=30", "-XX:+ExitOnOutOfMemoryError",
        "-XX:SharedArchiveFile=operator.jsa");
    assertThat(words.get(words.size() - 1)).isEqualTo(MAIN_CLASS);
  }

  @Test
  void theAgentsCommandInTheChartIsAnExecutableOfTheImage() {
    String java = "opt/java/bin/java";
    assertThat(AgentChartTest.AGENT_COMMAND.get(0)).isEqualTo("/" + java);
    assertThat(modeAndTime.get(java)).as("%s in the image", java).isNotNull();
  }

  @Test
  void theRuntimeAndTheClassDataArchiveAreInTheImageAsTheArchiveNeedsThem() {
    assertThat(modeAndTime.get("opt/java/bin/java")).as("the runtime's launcher").isNotNull();
    assertThat(modeAndTime.get("opt/java/bin/java")[0]).as("the launcher's mode").isEqualTo(0755);
    for (String file : List.of("opt/java/lib/server/libjvm.so", "opt/java/lib/modules", "opt/java/lib/server/classes.jsa",
        "opt/java/lib/libz.so.1", "app/operator.jsa", "app/etcd-address-guard-operator.jar")) {
      assertThat(modeAndTime).as("%s in the image's layers", file).containsKey(file);
    }
    // The archive records each class path jar's size and time; Jib gives every file the same time, 1 s past the epoch,
    // and ImageRuntimeBuild gave the copies it recorded the archive with that time too.
    List<String> classPath = operatorClassPath();
    assertThat(classPath).allSatisfy(entry -> assertThat(modeAndTime.get("app/" + entry))
        .as("%s (a class path entry) in the image", entry).isNotNull().satisfies(m -> assertThat(m[1]).isEqualTo(1L)));
  }
  @Test
  void theOperatorIsTheDefaultCommand() {
    assertThat(Yaml.<List<String>>at(config, "Cmd")).containsExactly("operator");
  }

  @Test
  void runsAsTheNonRootUserThePodSecurityContextExpects() {
    assertThat(Yaml.<String>at(config, "User")).isEqualTo("65532:65532");
  }

  @Test
  void exposesTheMetricsPort() {
    assertThat(Yaml.<Map<String, Object>>at(config, "ExposedPorts")).containsOnlyKeys("8080/tcp");
  }

  @Test
  void carriesTheOciLabels() {
    Map<String, String> labels = Yaml.at(config, "Labels");
    assertThat(labels).containsEntry("org.opencontainers.image.title", "etcd-address-guard");
    assertThat(labels.get("org.opencontainers.image.source")).startsWith("https://github.com/");
    assertThat(labels.get("org.opencontainers.image.version")).isNotBlank().doesNotContain("${");
  }

  @Test
  void everyLayerOfTheManifestIsInTheConfig() {
    assertThat(diffIds).hasSameSizeAs(manifestLayers);
  }

  @Test
  void layersHoldTheOperatorClassesAndItsLibraries() {
    for (String file : List.of("app/classes/io/etcdguard/operator/GuardOperator.class",
        "app/classes/" + MAIN_CLASS.replace('.', '/') + ".class")) {
      assertThat(files.contains(file)).as("%s in the image's layers", file).isTrue();
    }
    assertThat(matching("app/libs/jetcd-core-[^/]+\\.jar")).as("the jetcd jar in the image's layers").hasSize(1);
  }

  @Test
  void theTestHarnessAndTheDemoAreNotInTheImage() {
    assertThat(matching(".*/(kubernetes-server-mock|mockwebserver)-[^/]*\\.jar")).as("mock API server jars in the image").isEmpty();
    assertThat(matching(".*/etcd-address-guard-(testkit|demo)-[^/]*\\.jar")).as("testkit or demo jars in the image").isEmpty();
    assertThat(matching("app/classes/io/etcdguard/(testkit|demo)/.*")).as("testkit or demo classes in the image").isEmpty();
    assertThat(smallTextFiles.get("app/jib-classpath-file"))
        .doesNotContain("kubernetes-server-mock", "mockwebserver", "etcd-address-guard-testkit", "etcd-address-guard-demo");
  }

  /** The image's files whose path matches a regular expression (a short list in failure messages, not all of them). */
  private static List<String> matching(String regex) {
    return files.stream().filter(f -> f.matches(regex)).sorted().toList();
  }

  @Test
  void everyClasspathEntryTheEntrypointNamesIsInTheImage() {
    List<String> missing = operatorClassPath().stream().filter(entry -> !files.contains("app/" + entry)).toList();
    assertThat(missing).as("class path entries (relative to /app) that are not in any layer").isEmpty();
    assertThat(operatorClassPath()).contains("etcd-address-guard-operator.jar").anyMatch(e -> e.startsWith("libs/jetcd-core-"));
  }

  /** The operator's argument file, its words without comments. */
  private static List<String> operatorArgs() {
    return argumentFileWords(OPERATOR_JAVA_ARGS, "the operator's argument file");
  }

  /** A java launcher argument file of the image (a layer path), its words without the comment lines. */
  private static List<String> argumentFileWords(String path, String what) {
    assertThat(smallTextFiles).as("%s in the image", what).containsKey(path);
    return smallTextFiles.get(path).lines().filter(line -> !line.isBlank() && !line.strip().startsWith("#"))
        .flatMap(line -> List.of(line.strip().split("\\s+")).stream()).toList();
  }

  /** The class path the operator's argument file names, relative to /app. */
  private static List<String> operatorClassPath() {
    List<String> words = operatorArgs();
    int cp = words.indexOf("-cp");
    assertThat(cp).as("-cp in %s", words).isPositive();
    return List.of(words.get(cp + 1).split(":"));
  }

  @Test
  void theAgentsArgumentFileNamesAPartOfTheImagesClassPathAndTheMainClass() {
    List<String> words = argumentFileWords(AGENT_JAVA_ARGS, "the agent's argument file");
    int cp = words.indexOf("-cp");
    assertThat(cp).as("-cp in %s", words).isNotNegative();
    assertThat(words).as("flags, -cp CLASSPATH, main class").hasSize(cp + 3);
    List<String> operator = operatorArgs();
    assertThat(words.get(cp + 2)).as("the agent's main class").isEqualTo(operator.get(operator.size() - 1));
    List<String> imageClasspath = List.of(smallTextFiles.get("app/jib-classpath-file").split(":"));
    // /app/resources is where Jib puts resources when the module has any; java skips a missing entry.
    assertThat(words.get(cp + 1).split(":")).as("the agent's class path, a part of the image's")
        .allMatch(entry -> imageClasspath.contains(entry) || entry.equals("/app/resources"))
        .contains("/app/classes");
    assertThat(words.get(cp + 1).split(":").length).as("jars on the agent's class path").isLessThan(operatorClassPath().size() / 3);
  }
}
