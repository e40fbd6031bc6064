package io.etcdguard.packaging;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of Prometheus' log when a test against it fails: the first thing to read then. */
final class PrometheusLogOnFailure implements TestWatcher {
  private final Supplier<OperatorUnderPrometheus> stack;

  PrometheusLogOnFailure(Supplier<OperatorUnderPrometheus> stack) {
    this.stack = stack;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    OperatorUnderPrometheus running = stack.get();
    if (running != null && running.prometheus != null) {
      System.err.println("--- prometheus log (tail) after " + context.getDisplayName() + " failed ---\n"
          + running.prometheus.logTail(40));
    }
  }
}
