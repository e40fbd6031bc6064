package io.etcdguard.check;


/**
 * What one reconciliation of a policy came to: a result, or the step that failed and why.
 * The {@code outcome} label of etcdguard_checks_total is {@link Kind#label()}.
 */
public sealed interface CheckOutcome {
  Kind kind();

  enum Kind {
    SUCCESS("success"),
    ETCD_ERROR("etcd_error"),
    INVALID_POLICY("invalid_policy");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** etcd answered and every member got a verdict. */
  record Checked(CheckResult result) implements CheckOutcome {
    public Kind kind() {
      return Kind.SUCCESS;
    }
  }

  /** The spec (or its TLS Secret) is unusable: nothing was asked of etcd. */
  record Invalid(String conditionReason, String message) implements CheckOutcome {
    public Kind kind() {
      return Kind.INVALID_POLICY;
    }
  }

  /** etcd could not be reached or did not answer in time. */
  record EtcdUnreachable(String message) implements CheckOutcome {
    public Kind kind() {
      return Kind.ETCD_ERROR;
    }
  }
}
