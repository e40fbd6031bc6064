package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shipped jar holds the product only: no class of the test harness (testkit), of the demo, nor of the
 * mock API server they run on. Runs after `package`, on the jar the build wrote.
 */
class ProductionJarContentsIT {
  static final Path JAR = Path.of("target", "etcd-address-guard.jar");
  static final List<String> FORBIDDEN_PACKAGES = List.of(
      "io/etcdguard/testkit/", "io/etcdguard/demo/", "io/fabric8/mockwebserver/", "io/fabric8/kubernetes/client/server/mock/");

  @Test
  void holdsNoHarnessDemoOrMockServerClass() throws IOException {
    List<String> classes = classesIn(JAR);
    assertThat(classes).as("classes in %s", JAR)
        .contains("io/etcdguard/cli/Main.class", "io/etcdguard/operator/GuardOperator.class");
    for (String forbidden : FORBIDDEN_PACKAGES) {
      assertThat(classes.stream().filter(c -> c.startsWith(forbidden)).limit(5).toList())
          .as("classes under %s in the production jar", forbidden).isEmpty();
    }
  }

  static List<String> classesIn(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return Collections.list(file.entries()).stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
    }
  }
}
