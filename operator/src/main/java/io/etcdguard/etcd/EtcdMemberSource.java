package io.etcdguard.etcd;

import io.etcdguard.classify.MembershipHealth;

/** Where the operator and the CLI get etcd's member list from; tests give them a fake. */
public interface EtcdMemberSource {
  /** Lists the members, read-only. */
  MemberListing listMembers() throws EtcdAccessException;

  /**
   * The health of the listed members as each one reports it, and what that means for quorum. A source that
   * cannot ask the members says so with {@link MembershipHealth#unknown()}: unknown is never "healthy".
   */
  default MembershipHealth membershipHealth(MemberListing listing) {
    return MembershipHealth.unknown();
  }
}
