package io.etcdguard.status;

import io.etcdguard.api.v1alpha1.NodeRiskStatus;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import io.etcdguard.classify.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which Events a status change deserves: one Warning when a member enters a diagnosis (reason = its
 * primary reason; message = diagnosis, other evidence, fix), one more only when the primary reason changes,
 * a Normal one when it is compliant again, one per etcd reachability and quorum transition; nothing while nothing changed. The previous state is the
 * status already stored on the policy, so a restart or a new leader does not repeat Events.
 */
public final class EventPlanner {
  /** The API server refuses Event messages over 1 KiB: steps are added while they fit. */
  static final int EVENT_MESSAGE_LIMIT = 1024;

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
      String primaryBefore = old == null ? null : primaryReason(old);
      String primaryNow = primaryReason(member);
      if (primaryNow != null && !primaryNow.equals(primaryBefore)) {
        events.add(new PlannedEvent(member.getNode(), true, primaryNow, diagnosis(member, primaryNow), member.getId()));
      }
      if (old != null && !old.isCompliant() && member.isCompliant()) {
        events.add(new PlannedEvent(member.getNode(), false, EventReasons.MEMBER_COMPLIANT,
            "member " + member.getName() + " (" + member.getId() + ") now advertises " + String.join(", ", member.getPeerURLs())
                + (member.getNode() == null ? "" : ", node " + member.getNode() + "'s address") + ": compliant again",
            member.getId()));
      }
    }
    planNodeRisks(before, after, events);
    return events;
  }

  /**
   * The Warnings of what still stands in a status: each member's diagnosis, etcd unreachable, quorum lost,
   * an invalid policy. Sent again (the same Events, their count bumped) on each heartbeat refresh of the
   * status, so a violation that lasts longer than the API server's Event TTL stays visible.
   */
  public static List<PlannedEvent> standing(NodeAddressPolicyStatus status) {
    List<PlannedEvent> events = new ArrayList<>();
    if ("False".equals(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE))) {
      events.add(new PlannedEvent(null, true, EventReasons.ETCD_UNREACHABLE,
          Conditions.message(status, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE)));
    }
    if ("False".equals(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY))) {
      events.add(new PlannedEvent(null, true, EventReasons.QUORUM_LOST,
          Conditions.message(status, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY)));
    }
    String readyReason = Conditions.reason(status, NodeAddressPolicyStatus.CONDITION_READY);
    if (ConditionReasons.INVALID_SPEC.equals(readyReason) || ConditionReasons.TLS_MATERIAL_INVALID.equals(readyReason)) {
      events.add(new PlannedEvent(null, true, EventReasons.POLICY_INVALID, Conditions.message(status, NodeAddressPolicyStatus.CONDITION_READY)));
    }
    if (!"True".equals(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE))) {
      return events; // the members were not re-read: what stands is the reachability
    }
    for (MemberStatus member : status.getMembers()) {
      String primary = primaryReason(member);
      if (primary != null) {
        events.add(new PlannedEvent(member.getNode(), true, primary, diagnosis(member, primary), member.getId()));
      }
    }
    for (NodeRiskStatus node : status.getNodesAtRisk()) {
      events.add(new PlannedEvent(node.getNode(), true, node.getRisk(), riskMessage(node)));
    }
    return events;
  }

  /** A Warning on the Node when it enters a risk (its most urgent one changes to something new), once per transition. */
  static void planNodeRisks(NodeAddressPolicyStatus before, NodeAddressPolicyStatus after, List<PlannedEvent> events) {
    Map<String, NodeRiskStatus> previous = new HashMap<>();
    if (before != null && before.getNodesAtRisk() != null) {
      before.getNodesAtRisk().forEach(n -> previous.put(n.getNode(), n));
    }
    for (NodeRiskStatus node : after.getNodesAtRisk()) {
      NodeRiskStatus old = previous.get(node.getNode());
      if (old == null || !Objects.equals(old.getRisk(), node.getRisk())) {
        events.add(new PlannedEvent(node.getNode(), true, node.getRisk(), riskMessage(node)));
      }
    }
  }

  /** The evidence (for RestartRisk the line K3s would log), then as much of the fix as fits in an Event. */
  static String riskMessage(NodeRiskStatus node) {
    String text = node.getMessage();
    if (node.getFix() != null) {
      text += " Fix: " + node.getFix();
    }
    String more = " (the whole fix: status.nodesAtRisk[].fix)";
    return text.length() <= EVENT_MESSAGE_LIMIT ? text : text.substring(0, EVENT_MESSAGE_LIMIT - more.length()) + more;
  }

  /**
   * The member's primary reason; for a status written before primaryReason existed, the first of its
   * reasons in root-cause order, so that an upgrade does not repeat the Warning.
   */
  static String primaryReason(MemberStatus m) {
    if (m.isCompliant() || m.getReasons().isEmpty()) {
      return null;
    }
    if (m.getPrimaryReason() != null) {
      return m.getPrimaryReason();
    }
    return m.getReasons().stream().map(ReasonStatus::getReason).map(EventPlanner::reasonOrNull).filter(Objects::nonNull)
        .min(Reason.ROOT_CAUSE_FIRST).map(Reason::name).orElse(m.getReasons().get(0).getReason());
  }

  private static Reason reasonOrNull(String name) {
    try {
      return Reason.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Diagnosis (the primary reason's message), the other evidence, and the fix. */
  static String diagnosis(MemberStatus m, String primary) {
    StringBuilder text = new StringBuilder();
    m.getReasons().stream().filter(r -> r.getReason().equals(primary)).findFirst().ifPresent(r -> text.append(r.getMessage()));
    List<String> evidence = m.getReasons().stream().map(ReasonStatus::getReason).filter(r -> !r.equals(primary)).distinct().toList();
    if (!evidence.isEmpty()) {
      text.append(" Also: ").append(String.join(", ", evidence)).append('.');
    }
    if (m.getFix() != null) {
      text.append(" Fix: ").append(m.getFix().getText());
      List<String> steps = m.getFix().getSteps();
      String more = " (all steps: status.members[].fix, or `etcd-address-guard plan`)";
      for (int i = 0; i < steps.size(); i++) {
        String step = " " + (i + 1) + ". " + steps.get(i).replace("\n", " ");
        if (text.length() + step.length() + more.length() > EVENT_MESSAGE_LIMIT) {
          text.append(more);
          break;
        }
        text.append(step);
      }
    }
    return text.toString();
  }

}
