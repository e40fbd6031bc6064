package io.etcdguard.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as the image runs it, from the files the build staged under {@code target/image-root} (the same bytes
 * and file times Jib puts in the image): {@code opt/java/bin/java @/app/operator-java-args ARGS} in {@code /app}. The
 * training run, {@code ImageRuntimeTest} and {@code OperatorBench} start it this way.
 *
 * @param root the staged image root (target/image-root)
 */
public record OperatorImage(Path root) {
  /**
   * The image's environment besides JAVA_HOME and PATH (Jib's container environment in operator/pom.xml;
   * {@code ImageRuntimeIT} checks that the image has it): every start from the staged files gets it.
   */
  public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  public static OperatorImage ofBuild(Path operatorTarget) {
    return new OperatorImage(operatorTarget.resolve("image-root").toAbsolutePath());
  }

  public Path runtime() {
    return root.resolve("opt/java");
  }

  public Path java() {
    return runtime().resolve("bin/java");
  }

  /** The image's working directory: the argument file's class path is relative to it. */
  public Path app() {
    return root.resolve("app");
  }

  public Path argsFile() {
    return app().resolve("operator-java-args");
  }

  public Path archive() {
    return app().resolve("operator.jsa");
  }

  public JavaArgsFile args() {
    return JavaArgsFile.read(argsFile());
  }

  /**
   * Starts the image's command with {@code -Xshare:on}, which ends the JVM at once if the archive does not match the
   * runtime and class path beside it (a stale copy, a changed jar); returns what {@code --version} printed.
   */
  public String checkArchiveMaps() throws IOException, InterruptedException {
    Process p = processBuilder(List.of("-Xshare:on"), List.of(), List.of("--version")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isBlank()) {
      p.destroyForcibly();
      throw new IllegalStateException("the image's class-data archive " + archive() + " does not map with the files beside it"
          + " (rebuild the operator module without -DskipTests):\n" + out);
    }
    return out.strip();
  }

  /**
   * The image's command with {@code before} ahead of the argument file's flags (defaults they may override) and
   * {@code after} behind them (overrides: the last of a -XX flag wins), then {@code args}; run in {@link #app()}. With
   * no {@code after} it is the image's command itself ({@code java @/app/operator-java-args}); with some, the file's
   * flags, class path and main class are spelled out, since anything after the file's main class is the program's.
   */
  public ProcessBuilder processBuilder(List<String> before, List<String> after, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java().toString());
    command.addAll(before);
    if (after.isEmpty()) {
      command.add("@" + argsFile());
    } else {
      JavaArgsFile file = args();
      command.addAll(file.flags());
      command.addAll(after);
      command.addAll(List.of("-cp", String.join(":", file.classPath()), file.mainClass()));
    }
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(app().toFile());
    builder.environment().putAll(ENVIRONMENT);
    return builder;
  }
}
