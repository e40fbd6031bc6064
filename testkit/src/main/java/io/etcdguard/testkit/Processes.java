package io.etcdguard.testkit;

import java.nio.file.Path;
import java.util.List;

/** What `pgrep -f` would find, without needing procps. */
public final class Processes {
  private Processes() {
  }

  /** Command lines of live processes that mention {@code path}, e.g. an etcd data directory's parent. */
  public static List<String> runningWith(Path path) {
    String needle = path.toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .map(process -> process.info().commandLine().orElse(""))
        .filter(commandLine -> commandLine.contains(needle))
        .toList();
  }
}
