package io.etcdguard.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

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

  /** docs/: the user documentation, which doc tests check against the code. */
  public static Path docs() {
    return repositoryRoot().resolve("docs");
  }

  /** docs/examples: the seed incident's etcd member list and Nodes, and example policies. */
  public static Path examples() {
    return docs().resolve("examples");
  }
}
