package io.etcdguard.status;

import io.etcdguard.classify.Reason;
import io.etcdguard.classify.Risk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every Kubernetes Event reason the operator emits. A Warning named after a member's primary {@link Reason}
 * when it enters that diagnosis, a Warning on the Node named after its most urgent {@link Risk} when it enters
 * it, and these; docs/events.md lists them all.
 */
public final class EventReasons {
  /** Normal, on the Node and the policy: a member is compliant again. */
  public static final String MEMBER_COMPLIANT = "MemberCompliant";
  /** Warning, on the policy: etcd stopped answering (emitted on the transition only). */
  public static final String ETCD_UNREACHABLE = "EtcdUnreachable";
  /** Normal, on the policy: etcd answers again. */
  public static final String ETCD_REACHABLE = "EtcdReachable";
  /** Warning, on the policy: fewer healthy voters than a majority (QuorumHealthy turned False). */
  public static final String QUORUM_LOST = "QuorumLost";
  /** Normal, on the policy: quorum holds again. */
  public static final String QUORUM_RESTORED = "QuorumRestored";
  /** Warning, on the policy: the spec or its TLS Secret cannot be used. */
  public static final String POLICY_INVALID = "PolicyInvalid";

  private EventReasons() {}

  public static List<String> all() {
    List<String> all = new ArrayList<>(Arrays.stream(Reason.values()).map(Reason::name).toList());
    all.addAll(Arrays.stream(Risk.values()).map(Risk::name).toList());
    all.addAll(List.of(MEMBER_COMPLIANT, ETCD_UNREACHABLE, ETCD_REACHABLE, QUORUM_LOST, QUORUM_RESTORED, POLICY_INVALID));
    return all;
  }
}
