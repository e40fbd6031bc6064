package io.etcdguard.testkit;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the JSONPath subset CRD printer columns use (.a.b, and [?(@.k=="v")] filters), the way
 * kubectl does for `kubectl get`, so the demo and the tests show the columns an admin would see.
 */
public final class PrinterColumns {
  private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[\\?\\(@\\.([A-Za-z0-9_]+)==\"([^\"]*)\"\\)]");

  private PrinterColumns() {}

  public static String eval(Object root, String path) {
    Object current = root;
    Matcher m = STEP.matcher(path);
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("unsupported JSONPath " + path);
      }
      end = m.end();
      if (current == null) {
        return "<none>";
      }
      if (m.group(1) != null) {
        current = current instanceof Map<?, ?> map ? map.get(m.group(1)) : null;
      } else {
        String key = m.group(2);
        String value = m.group(3);
        current = current instanceof List<?> list ? list.stream()
            .filter(e -> e instanceof Map<?, ?> map && value.equals(String.valueOf(map.get(key)))).findFirst().orElse(null) : null;
      }
    }
    if (end != path.length()) {
      throw new IllegalArgumentException("unsupported JSONPath " + path);
    }
    return current == null ? "<none>" : String.valueOf(current);
  }
}
