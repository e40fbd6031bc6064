package io.etcdguard.packaging;

import io.etcdguard.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link OperatorUnderPrometheus} for every test class of the run that registers this extension (they run
 * in one JVM): the first class starts it, the end of the run stops it. Each class starts in the seed incident's
 * state (a class before it may have restored the member). When a test fails, the tail of Prometheus' log is
 * printed: the first thing to read then.
 */
final class SharedPrometheusStack implements BeforeAllCallback, TestWatcher {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPrometheusStack.class);

  private OperatorUnderPrometheus stack;

  /** The running stack; set before the class's own {@code @BeforeAll} methods run. */
  OperatorUnderPrometheus get() {
    return stack;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    stack = context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(OperatorUnderPrometheus.class, key -> Running.start(), Running.class).stack();
    stack.advertiseTemporaryAddress();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (stack != null && stack.prometheus != null) {
      System.err.println("--- prometheus log (tail) after " + context.getDisplayName() + " failed ---\n"
          + stack.prometheus.logTail(40));
    }
  }

  /** The stack and its working directory, both removed when the run's root store is closed. */
  private record Running(OperatorUnderPrometheus stack, Path dir) implements AutoCloseable {
    static Running start() {
      Path dir;
      try {
        dir = Files.createTempDirectory("operator-under-prometheus");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        return new Running(OperatorUnderPrometheus.start(dir), dir);
      } catch (Exception e) {
        Fixtures.deleteRecursively(dir);
        throw new IllegalStateException("the operator under Prometheus did not start", e);
      }
    }

    @Override
    public void close() {
      try {
        stack.close();
      } finally {
        Fixtures.deleteRecursively(dir);
      }
    }
  }
}
