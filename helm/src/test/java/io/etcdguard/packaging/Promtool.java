package io.etcdguard.packaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** promtool from Debian's prometheus package (scripts/ensure-tools.sh installs it). */
final class Promtool {
  private Promtool() {
  }

  static Tools.Result checkRules(Path... ruleFiles) throws IOException, InterruptedException {
    return run(ruleFiles[0].getParent(), "check", "rules", ruleFiles);
  }

  static Tools.Result testRules(Path workingDir, Path... testFiles) throws IOException, InterruptedException {
    return run(workingDir, "test", "rules", testFiles);
  }

  private static Tools.Result run(Path workingDir, String command, String subcommand, Path... files)
      throws IOException, InterruptedException {
    Path promtool = Tools.require("promtool", "the alert rules and dashboard queries are checked with promtool");
    List<String> arguments = new ArrayList<>(List.of(promtool.toString(), command, subcommand));
    for (Path file : files) {
      arguments.add(file.toString());
    }
    return Tools.run(workingDir, arguments.toArray(String[]::new));
  }
}
