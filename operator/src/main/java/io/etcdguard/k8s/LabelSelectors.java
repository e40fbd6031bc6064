package io.etcdguard.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a metav1 LabelSelector locally, with the API server's semantics, so Nodes from a file or an
 * informer cache are selected exactly as `kubectl get nodes -l` would.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> throw new IllegalArgumentException("nodeSelector: unknown operator '" + r.getOperator()
          + "' for key " + r.getKey() + " (use In, NotIn, Exists or DoesNotExist)");
    };
  }

  /**
   * The selector as `kubectl -l` text in one order (match labels and expressions sorted, values sorted), so
   * that selectors that select the same Nodes by the same requirements give the same text; "" for null (all).
   */
  public static String canonical(LabelSelector selector) {
    if (selector == null) {
      return "";
    }
    List<String> parts = new java.util.ArrayList<>();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((k, v) -> parts.add(k + "=" + v));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues().stream().sorted().distinct().toList();
        parts.add(switch (r.getOperator()) {
          case "Exists" -> r.getKey();
          case "DoesNotExist" -> "!" + r.getKey();
          case "In" -> r.getKey() + " in (" + String.join(",", values) + ")";
          case "NotIn" -> r.getKey() + " notin (" + String.join(",", values) + ")";
          default -> throw new IllegalArgumentException("nodeSelector: unknown operator '" + r.getOperator()
              + "' for key " + r.getKey() + " (use In, NotIn, Exists or DoesNotExist)");
        });
      }
    }
    return parts.stream().sorted().distinct().collect(java.util.stream.Collectors.joining(","));
  }

  /** The selector as `kubectl -l` text, for logs and messages. */
  public static String describe(LabelSelector selector) {
    if (selector == null) {
      return "(all)";
    }
    StringBuilder sb = new StringBuilder();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        sb.append(sb.isEmpty() ? "" : ",");
        switch (r.getOperator()) {
          case "Exists" -> sb.append(r.getKey());
          case "DoesNotExist" -> sb.append('!').append(r.getKey());
          default -> sb.append(r.getKey()).append(' ').append(r.getOperator().toLowerCase()).append(" (")
              .append(String.join(",", r.getValues() == null ? List.of() : r.getValues())).append(')');
        }
      }
    }
    return sb.isEmpty() ? "(all)" : sb.toString();
  }
}
