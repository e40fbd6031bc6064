package io.etcdguard.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A java launcher argument file as the build writes them for the image ({@code @/app/operator-java-args}): flags, then
 * {@code -cp} and the class path, then the main class; lines starting with # are comments.
 *
 * @param flags the JVM flags before {@code -cp}, in order
 * @param classPath the class path entries as written
 * @param mainClass the class named last
 */
public record JavaArgsFile(List<String> flags, List<String> classPath, String mainClass) {
  public static JavaArgsFile read(Path file) {
    List<String> words = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank() && !line.strip().startsWith("#")) {
          words.addAll(Arrays.asList(line.strip().split("\\s+")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (the operator module's process-resources phase writes it)", e);
    }
    int cp = words.indexOf("-cp");
    if (cp < 0 || words.size() != cp + 3) {
      throw new IllegalStateException(file + ": expected FLAGS... -cp CLASSPATH MAIN_CLASS, got " + words);
    }
    return new JavaArgsFile(List.copyOf(words.subList(0, cp)), List.of(words.get(cp + 1).split(":")), words.get(cp + 2));
  }

  /** The image's operator flags as the template in the sources has them (no build needed: tests before `package`). */
  public static JavaArgsFile operatorTemplate(Path operatorModule) {
    return read(operatorModule.resolve("src/main/image/operator-java-args"));
  }

  /** The flags but those starting with one of {@code prefixes}. */
  public List<String> flagsWithout(String... prefixes) {
    return flags.stream().filter(f -> Arrays.stream(prefixes).noneMatch(f::startsWith)).toList();
  }
}
