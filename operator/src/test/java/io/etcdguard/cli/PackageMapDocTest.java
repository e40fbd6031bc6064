package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/architecture.md's package map names exactly the operator's packages, and each concept it names exists there. */
class PackageMapDocTest {
  static final Path SOURCES = Fixtures.repositoryRoot().resolve("operator/src/main/java/io/etcdguard");

  @Test
  void thePackageTableNamesEveryPackageAndOnlyThose() throws IOException {
    String section = packagesSection();
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\|").matcher(section);
    while (row.find()) {
      documented.add(row.group(1));
    }
    Set<String> actual = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      dirs.filter(Files::isDirectory).forEach(d -> actual.add(d.getFileName().toString()));
    }
    assertThat(documented).as("packages in docs/architecture.md vs %s", SOURCES).isEqualTo(actual);
  }

  @Test
  void everyClassTheTableNamesLivesInThePackageOfItsRow() throws IOException {
    Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\|(.*)$").matcher(packagesSection());
    int checked = 0;
    while (row.find()) {
      Matcher type = Pattern.compile("`([A-Z]\\w+)`").matcher(row.group(2));
      while (type.find()) {
        Path source = SOURCES.resolve(row.group(1)).resolve(type.group(1) + ".java");
        assertThat(source).as("%s, named in the %s row of docs/architecture.md", type.group(1), row.group(1)).isRegularFile();
        checked++;
      }
    }
    assertThat(checked).as("class names in the package table").isGreaterThan(20);
  }

  private static String packagesSection() throws IOException {
    String doc = Files.readString(Fixtures.docs().resolve("architecture.md"));
    int start = doc.indexOf("## Packages");
    assertThat(start).as("a '## Packages' section in docs/architecture.md").isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }
}
