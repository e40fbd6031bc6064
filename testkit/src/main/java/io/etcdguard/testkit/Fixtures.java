package io.etcdguard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files of the repository the tests read: the docs and the seed incident's example inputs. */
public final class Fixtures {
  private Fixtures() {
  }

  /** The repository's root: the nearest directory up from the working directory holding docs/examples. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("docs").resolve("examples"))) {
        return d;
      }
    }
    throw new IllegalStateException("no docs/examples in " + dir + " or above: run the tests from a checkout");
  }

  /** Deletes a directory and everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** docs/: the user documentation, which doc tests check against the code. */
  public static Path docs() {
    return repositoryRoot().resolve("docs");
  }

  /** docs/examples: the seed incident's etcd member list and Nodes, and example policies. */
  public static Path examples() {
    return docs().resolve("examples");
  }
}
