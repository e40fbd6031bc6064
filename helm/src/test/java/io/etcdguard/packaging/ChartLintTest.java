package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.etcdguard.testkit.Fixtures;
import java.io.IOException;
import io.etcdguard.testkit.Fixtures;
import java.nio.file.Files;
import io.etcdguard.testkit.Fixtures;
import java.nio.file.Path;
import io.etcdguard.testkit.Fixtures;
import io.etcdguard.testkit.Fixtures;
import java.util.LinkedHashMap;
import io.etcdguard.testkit.Fixtures;
import java.util.List;
import io.etcdguard.testkit.Fixtures;
import java.util.Map;
import io.etcdguard.testkit.Fixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * helm lint --strict, with the default values and with each ci/ values file. helm-java's lint takes no
 * values, so each case lints a copy of the chart whose values.yaml has the ci file merged in.
 */
class ChartLintTest {
  static final List<String> CI_VALUES = HelmChart.CI_VALUES;

  @Test
  void defaultValuesLintWithoutWarnings() {
    assertCleanLint(new Helm(ProjectFiles.chartDir()).lint().strict().call());
  }

  @ParameterizedTest
  @FieldSource("CI_VALUES")
  void everyCiValuesFileLintsWithoutWarnings(String name) throws IOException {
    Path chart = chartCopyWithValues(name, HelmChart.ciValues(name));
    assertCleanLint(new Helm(chart).lint().strict().call());
  }

  @Test
  void lintRejectsAValueTheSchemaForbids() throws IOException {
    Path chart = chartCopyWithValues("unknown-preset", Map.of("preset", "talos"));
    LintResult result = new Helm(chart).lint().strict().call();
    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("preset");
  }

  private static void assertCleanLint(LintResult result) {
    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    // Only [INFO] is acceptable (Helm recommends an icon, which the project does not have).
    assertThat(result.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
  }

  /** A copy of the chart under target/ whose values.yaml is the default values with these merged in. */
  static Path chartCopyWithValues(String name, Map<String, Object> overrides) throws IOException {
    Path source = ProjectFiles.chartDir();
    Path target = ProjectFiles.scratch("lint").resolve(name).resolve(source.getFileName());
    Fixtures.deleteRecursively(target);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    Map<String, Object> values = merge(Yaml.map(Files.readString(source.resolve("values.yaml"))), overrides);
    Files.writeString(target.resolve("values.yaml"), Yaml.write(values));
    return target;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    overrides.forEach((key, value) -> {
      if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> existing) {
        merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) map));
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }
}
