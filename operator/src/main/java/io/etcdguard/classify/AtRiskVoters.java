package io.etcdguard.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which healthy voters are expected to fail, so that the quorum figures count them before they do. Pure: the
 * verdicts and postures of the same check in, member IDs with the reason out. A healthy voter is at risk when
 *
 * <ul>
 *   <li>its peer address is a temporary IPv6 address ({@link Reason#TemporaryIPv6Address}, Confirmed or
 *       Suspected): the kernel removes every temporary address within {@code temp_valid_lft} (2 days by default)
 *       of its creation, and then no peer reaches the member;</li>
 *   <li>its peer address is already gone from its host ({@link Reason#AddressNotOnNode}): it holds on through
 *       connections it made itself, and cannot listen there after its next start;</li>
 *   <li>its Node's next start is predicted to fail ({@link Risk#RestartRisk}): the next reboot or restart takes it
 *       out of the cluster.</li>
 * </ul>
 *
 * A voter that is already unhealthy is not at risk: the fault tolerance counts it already. docs/architecture.md
 * ("How etcd is observed") states these rules.
 */
public final class AtRiskVoters {
  /** The reasons that mean the member's peer address expires or is gone. */
  static final Set<Reason> EXPIRING = Set.of(Reason.TemporaryIPv6Address, Reason.AddressNotOnNode);

  private AtRiskVoters() {}

  /** The healthy voters expected to fail, by member ID, with why; empty when health is unknown. */
  public static Map<Long, String> of(MembershipHealth health, List<MemberVerdict> verdicts, List<NodePosture> postures) {
    Map<Long, String> atRisk = new LinkedHashMap<>();
    if (!health.known()) {
      return atRisk;
    }
    for (MemberVerdict v : verdicts) {
      MembershipHealth.Member member = health.member(v.member().id());
      if (member == null || !member.healthyVoter()) {
        continue;
      }
      expiring(v).or(() -> restartWouldFail(v, postures)).ifPresent(why -> atRisk.put(v.member().id(), why));
    }
    return atRisk;
  }

  private static Optional<String> expiring(MemberVerdict v) {
    return v.findings().stream().filter(f -> EXPIRING.contains(f.reason())).findFirst().map(f -> switch (f.reason()) {
      case TemporaryIPv6Address -> v.memberLabel() + ": peer address " + f.address() + " is temporary ("
          + f.confidence() + "): the kernel removes it when its valid lifetime ends (temp_valid_lft, 2 days by default)";
      default -> v.memberLabel() + ": peer address " + f.address() + " is no longer on node " + v.nodeName();
    });
  }

  private static Optional<String> restartWouldFail(MemberVerdict v, List<NodePosture> postures) {
    return postures.stream()
        .filter(p -> p.restartWouldFail() && p.nodeName().equals(v.nodeName()) && p.memberName().equals(v.member().name()))
        .findFirst().map(p -> v.memberLabel() + ": the next start of node " + p.nodeName() + " is predicted to fail (RestartRisk)");
  }
}
