package io.etcdguard.status;

/** The fixed reasons of the status Conditions (docs/crd-reference.md lists them). */
public final class ConditionReasons {
  public static final String CHECK_SUCCEEDED = "CheckSucceeded";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String TLS_MATERIAL_INVALID = "TlsMaterialInvalid";
  public static final String ETCD_UNREACHABLE = "EtcdUnreachable";
  public static final String MEMBER_LIST_SUCCEEDED = "MemberListSucceeded";
  public static final String ALL_MEMBERS_COMPLY = "AllMembersComply";
  public static final String MEMBERS_VIOLATE_POLICY = "MembersViolatePolicy";
  public static final String CHECK_FAILED = "CheckFailed";
  /** QuorumHealthy True: at least one more voter may fail. */
  public static final String FAULT_TOLERANT = "FaultTolerant";
  /** QuorumHealthy True, but the next voter failure stops etcd. */
  public static final String NO_FAULT_TOLERANCE = "NoFaultTolerance";
  /** QuorumHealthy False, Compliant Unknown: fewer healthy voters than a majority. */
  public static final String QUORUM_LOST = "QuorumLost";
  /** QuorumHealthy Unknown: the members' health could not be observed. */
  public static final String HEALTH_NOT_OBSERVED = "HealthNotObserved";

  /** Ready False: the last reconciliation failed (e.g. the status could not be written); retried with backoff. */
  public static final String RECONCILE_ERROR = "ReconcileError";
  /** RestartSafe False: a Node's next start is predicted to fail (RestartRisk). */
  public static final String RESTART_WOULD_FAIL = "RestartWouldFail";
  /** RestartSafe True. */
  public static final String NO_NODE_AT_RISK = "NoNodeAtRisk";
  /** RestartSafe Unknown: a Node's restart cannot be judged (no fresh agent report, unknown pinning). */
  public static final String POSTURE_FACTS_MISSING = "PostureFactsMissing";
  /** RestartSafe Unknown: spec.posture is Ignore. */
  public static final String POSTURE_IGNORED = "PostureIgnored";
  /** Compliant False under spec.posture Enforce: Nodes at risk count as violations. */
  public static final String NODES_AT_RISK = "NodesAtRisk";

  private ConditionReasons() {}
}
