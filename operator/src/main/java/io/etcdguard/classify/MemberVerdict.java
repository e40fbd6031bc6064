package io.etcdguard.classify;

import java.util.List;

/**
 * The verdict on one member.
 *
 * @param nodeName the matched Node, or null
 * @param matchedBy how the Node was matched, or null when none was
 */
public record MemberVerdict(EtcdMember member, String nodeName, NodeMatch matchedBy, List<Finding> findings) {
  public MemberVerdict {
    findings = List.copyOf(findings);
  }

  public boolean compliant() {
    return findings.isEmpty();
  }
}
