package io.etcdguard.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** Reads a status condition by type. */
public final class Conditions {
  private Conditions() {}

  public static Optional<Condition> find(NodeAddressPolicyStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static String status(NodeAddressPolicyStatus status, String type) {
    return find(status, type).map(Condition::getStatus).orElse(null);
  }

  public static String reason(NodeAddressPolicyStatus status, String type) {
    return find(status, type).map(Condition::getReason).orElse(null);
  }

  public static String message(NodeAddressPolicyStatus status, String type) {
    return find(status, type).map(Condition::getMessage).orElse(null);
  }
}
