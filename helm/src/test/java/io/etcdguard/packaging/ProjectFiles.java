package io.etcdguard.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the chart, deploy/ and docs/ are, as the helm module's pom passes them to the tests. */
final class ProjectFiles {
  static final String REFRESH_HINT =
      "refresh the generated files with: ./mvnw -B -pl helm -am verify -Pupdate-generated (then review and commit them)";

  private ProjectFiles() {
  }

  static Path chartDir() {
    return path("chart.dir");
  }

  static Path repoRoot() {
    return path("repo.root");
  }

  static Path crdSource() {
    return path("crd.source");
  }

  static Path deployDir() {
    return repoRoot().resolve("deploy");
  }

  static Path docsDir() {
    return repoRoot().resolve("docs");
  }

  static Path alertsFile() {
    return chartDir().resolve("files/etcdguard-alerts.yaml");
  }

  static Path dashboardFile() {
    return chartDir().resolve("files/etcdguard-dashboard.json");
  }

  /** The operator's image, as its module's package phase writes it (Jib buildTar). */
  static Path operatorImageTarball() {
    return repoRoot().resolve("operator/target/etcd-address-guard-image.tar");
  }

  static Path promtoolTestsDir() {
    return Path.of("src/test/promtool").toAbsolutePath();
  }

  /** A scratch folder under target/, emptied on first use by each test class that asks for it. */
  static Path scratch(String name) {
    Path dir = Path.of("target", "scratch", name).toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** True under -Pupdate-generated: drift tests then write the expected content instead of failing. */
  static boolean updateGenerated() {
    return Boolean.getBoolean("etcdguard.updateGenerated");
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path path(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }
}
