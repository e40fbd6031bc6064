package io.etcdguard.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External programs the tests run (promtool, kubectl): found on PATH or the test fails saying why. */
final class Tools {
  private Tools() {
  }

  static Path require(String name, String why) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(name + " not found on PATH: " + why
        + " (scripts/ensure-tools.sh, run by ./mvnw verify, installs what Debian packages)");
  }

  record Result(int exitCode, String output) {
  }

  /** Runs a command with stdout and stderr together; fails the test if it takes over a minute. */
  static Result run(Path workingDir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
        .directory(workingDir.toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    return new Result(process.exitValue(), output);
  }
}
