package io.etcdguard.classify;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The verdict on one member.
 *
 * @param nodeName the matched Node, or null
 * @param matchedBy how the Node was matched, or null when none was
 * @param findings every reason found: the evidence, root cause first
 */
public record MemberVerdict(EtcdMember member, String nodeName, NodeMatch matchedBy, List<Finding> findings) {
  public MemberVerdict {
    findings = findings.stream().sorted(Comparator.comparing(Finding::reason, Reason.ROOT_CAUSE_FIRST)).toList();
  }

  public boolean compliant() {
    return findings.isEmpty();
  }

  /** The finding of the primary reason (see {@link Reason#PRIMARY_ORDER}), empty when compliant. */
  public Optional<Finding> primary() {
    return findings.stream().findFirst();
  }

  /** The primary reason, or null when compliant. */
  public Reason primaryReason() {
    return primary().map(Finding::reason).orElse(null);
  }

  /** How people name the member: its name, or for an unstarted member its hex ID. */
  public String memberLabel() {
    return member.started() ? member.name() : member.idHex();
  }
}
