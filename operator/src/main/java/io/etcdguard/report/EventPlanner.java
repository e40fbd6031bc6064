package io.etcdguard.report;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which Events a status change deserves: one per reason a member enters, one when it leaves its
 * last, one per etcd reachability and quorum transition; nothing while nothing changed. The previous state is the
 * status already stored on the policy, so a restart or a new leader does not repeat Events.
 */
public final class EventPlanner {
  private EventPlanner() {}

  public static List<PlannedEvent> plan(NodeAddressPolicyStatus before, NodeAddressPolicyStatus after) {
    List<PlannedEvent> events = new ArrayList<>();
    String etcdBefore = before == null ? null : Conditions.status(before, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE);
    String etcdAfter = Conditions.status(after, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE);
    String readyReasonBefore = before == null ? null : Conditions.reason(before, NodeAddressPolicyStatus.CONDITION_READY);
    String readyReasonAfter = Conditions.reason(after, NodeAddressPolicyStatus.CONDITION_READY);

    if ("False".equals(etcdAfter) && !"False".equals(etcdBefore)) {
      events.add(new PlannedEvent(null, true, EventReasons.ETCD_UNREACHABLE,
          Conditions.message(after, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE)));
    }
    if ("True".equals(etcdAfter) && "False".equals(etcdBefore)) {
      events.add(new PlannedEvent(null, false, EventReasons.ETCD_REACHABLE, "etcd answers MemberList again"));
    }
    String quorumBefore = before == null ? null : Conditions.status(before, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY);
    String quorumAfter = Conditions.status(after, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY);
    if ("False".equals(quorumAfter) && !"False".equals(quorumBefore)) {
      events.add(new PlannedEvent(null, true, EventReasons.QUORUM_LOST,
          Conditions.message(after, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY)));
    }
    if ("True".equals(quorumAfter) && "False".equals(quorumBefore)) {
      events.add(new PlannedEvent(null, false, EventReasons.QUORUM_RESTORED,
          Conditions.message(after, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY)));
    }
    boolean invalidNow = ConditionReasons.INVALID_SPEC.equals(readyReasonAfter) || ConditionReasons.TLS_MATERIAL_INVALID.equals(readyReasonAfter);
    if (invalidNow && !readyReasonAfter.equals(readyReasonBefore)) {
      events.add(new PlannedEvent(null, true, EventReasons.POLICY_INVALID, Conditions.message(after, NodeAddressPolicyStatus.CONDITION_READY)));
    }
    if (!"True".equals(etcdAfter)) {
      return events; // members were not re-read: nothing is known to have entered or left
    }

    Map<String, MemberStatus> previous = new HashMap<>();
    if (before != null) {
      before.getMembers().forEach(m -> previous.put(m.getId(), m));
    }
    for (MemberStatus member : after.getMembers()) {
      MemberStatus old = previous.get(member.getId());
      Set<String> had = old == null ? Set.of() : reasons(old);
      for (ReasonStatus r : member.getReasons()) {
        if (!had.contains(r.getReason())) {
          events.add(new PlannedEvent(member.getNode(), true, r.getReason(), r.getMessage()));
        }
      }
      if (old != null && !old.isCompliant() && member.isCompliant()) {
        events.add(new PlannedEvent(member.getNode(), false, EventReasons.MEMBER_COMPLIANT,
            "member " + member.getName() + " (" + member.getId() + ") now advertises " + String.join(", ", member.getPeerURLs())
                + (member.getNode() == null ? "" : ", node " + member.getNode() + "'s address") + ": compliant again"));
      }
    }
    return events;
  }

  private static Set<String> reasons(MemberStatus m) {
    return m.getReasons().stream().map(ReasonStatus::getReason).collect(Collectors.toSet());
  }
}
