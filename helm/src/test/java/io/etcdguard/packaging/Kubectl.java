package io.etcdguard.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** kubectl kustomize (kustomize built into kubectl; no cluster needed). */
final class Kubectl {
  private Kubectl() {
  }

  static String kustomize(Path directory) throws IOException, InterruptedException {
    Path kubectl = Tools.require("kubectl",
        "deploy/ overlays are rendered with `kubectl kustomize`; kubectl ships on this project's machines");
    Path stderr = Files.createTempFile(ProjectFiles.scratch("kubectl"), "stderr-", ".txt");
    Process process = new ProcessBuilder(kubectl.toString(), "kustomize", directory.toString())
        .redirectError(stderr.toFile())
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl kustomize " + directory + " did not finish in 60 s");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("kubectl kustomize " + directory + " failed:\n" + Files.readString(stderr));
    }
    return output;
  }
}
