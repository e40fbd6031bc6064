package io.etcdguard.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping a process we started: SIGTERM, a grace period, then SIGKILL. */
public final class ChildProcesses {
  private ChildProcesses() {}

  public static void stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
