package io.etcdguard.etcd;

/** Where the operator and the CLI get etcd's member list from; tests give them a fake. */
public interface EtcdMemberSource {
  /** Lists the members, read-only. */
  MemberListing listMembers() throws EtcdAccessException;
}
