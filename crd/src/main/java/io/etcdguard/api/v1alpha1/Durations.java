package io.etcdguard.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;

/**
 * Go-style durations as Kubernetes users write them ("30s", "1m30s", "500ms"). The same pattern is in
 * the CRD schema, so what the API server accepts is what this class parses.
 */
public final class Durations {
  /** One or more number+unit pairs; units ms, s, m, h. */
  public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a Go-style duration.
   *
   * @throws IllegalArgumentException naming the field when the text is not a duration
   */
  public static Duration parse(String field, String text) {
    if (text == null || !text.matches(PATTERN)) {
      throw new IllegalArgumentException(field + ": '" + text + "' is not a duration such as 30s, 2m or 1m30s");
    }
    Matcher m = PART.matcher(text);
    double millis = 0;
    while (m.find()) {
      double value = Double.parseDouble(m.group(1));
      switch (m.group(2)) {
        case "ms" -> millis += value;
        case "s" -> millis += value * 1_000;
        case "m" -> millis += value * 60_000;
        case "h" -> millis += value * 3_600_000;
        default -> throw new IllegalStateException(m.group(2));
      }
    }
    return Duration.ofMillis(Math.round(millis));
  }
}
