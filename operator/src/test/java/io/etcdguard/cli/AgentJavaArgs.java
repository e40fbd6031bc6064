package io.etcdguard.cli;

import io.etcdguard.image.JavaArgsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The node agent's JVM arguments as the build writes them for the image (target/jib-extra/app/agent-java-args, a java
 * launcher argument file the chart's DaemonSet runs with {@code java @/app/agent-java-args agent ...}), and the same
 * class path as local files (target/agent-classpath.local), so that tests and AgentBench can start the agent exactly
 * as the DaemonSet does: same flags, same jars in the same order, same main class.
 *
 * @param jvmFlags the flags before {@code -cp}, as in the file
 * @param imageClasspath the class path entries as the image names them (/app/classes, /app/libs/NAME.jar)
 * @param localClasspath the same entries on this machine, in the same order
 * @param mainClass the class the file names last
 */
public record AgentJavaArgs(List<String> jvmFlags, List<String> imageClasspath, List<String> localClasspath, String mainClass) {
  /** The argument file and local class path the operator module's build writes under its target/. */
  public static AgentJavaArgs ofBuild(Path operatorTarget) throws IOException {
    return read(operatorTarget.resolve("jib-extra/app/agent-java-args"), operatorTarget.resolve("agent-classpath.local"),
        operatorTarget.resolve("classes"));
  }

  /**
   * Reads the argument file (comment lines start with #; flags, then {@code -cp} and the class path, then the main class)
   * and maps its class path to local files: /app/classes and /app/resources to {@code classesDir}, the i-th
   * /app/libs jar to the i-th entry of the local class path file.
   */
  public static AgentJavaArgs read(Path argFile, Path localClasspathFile, Path classesDir) throws IOException {
    if (!Files.isRegularFile(argFile) || !Files.isRegularFile(localClasspathFile)) {
      throw new IllegalStateException("no " + argFile + " or " + localClasspathFile
          + ": the operator module's generate-resources and process-resources phases write them (operator/pom.xml, agent.artifactIds)");
    }
    JavaArgsFile args = JavaArgsFile.read(argFile);
    List<String> image = args.classPath();
    List<String> localLibs = List.of(Files.readString(localClasspathFile).strip().split(":"));
    List<String> imageLibs = image.stream().filter(e -> e.startsWith("/app/libs/")).toList();
    if (imageLibs.size() != localLibs.size()) {
      throw new IllegalStateException(argFile + " names " + imageLibs.size() + " jars, " + localClasspathFile + " "
          + localLibs.size() + ": both must come from the same agent.artifactIds");
    }
    List<String> local = new ArrayList<>();
    int lib = 0;
    for (String entry : image) {
      if (entry.equals("/app/classes") || entry.equals("/app/resources")) {
        if (!local.contains(classesDir.toString())) {
          local.add(classesDir.toString());
        }
      } else if (entry.startsWith("/app/libs/")) {
        String file = localLibs.get(lib++);
        String name = entry.substring("/app/libs/".length());
        // A module of this build is a directory of classes until it is packaged (e.g. crd/target/classes).
        if (!Path.of(file).getFileName().toString().equals(name) && !Files.isDirectory(Path.of(file))) {
          throw new IllegalStateException(argFile + " names " + name + " where " + localClasspathFile + " has " + file);
        }
        local.add(file);
      } else {
        throw new IllegalStateException(argFile + ": class path entry " + entry + " is neither /app/classes, /app/resources nor /app/libs/");
      }
    }
    return new AgentJavaArgs(args.flags(), image, List.copyOf(local), args.mainClass());
  }

  /**
   * The command that starts the agent as the DaemonSet does, with this machine's java and files: the file's flags
   * (java.io.tmpdir moved to {@code tmpDir}, the image's /tmp), the local class path, the main class, then {@code args}.
   */
  public List<String> localCommand(Path tmpDir, List<String> args) {
    return localCommand(Path.of(System.getProperty("java.home"), "bin", "java"), tmpDir, args);
  }

  /** {@link #localCommand(Path, List)} with another {@code java}: the image's runtime (target/image-root/opt/java). */
  public List<String> localCommand(Path java, Path tmpDir, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    for (String flag : jvmFlags) {
      command.add(flag.startsWith("-Djava.io.tmpdir=") ? "-Djava.io.tmpdir=" + tmpDir : flag);
    }
    command.add("-cp");
    command.add(String.join(":", localClasspath));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
