package io.etcdguard.etcd;

import io.etcdguard.classify.EtcdMember;
import java.util.List;

/**
 * The members of one etcd cluster as one member reported them.
 *
 * @param clusterId unsigned 64-bit cluster ID held in a long: use {@link #clusterIdHex()} to show it
 */
public record MemberListing(long clusterId, List<EtcdMember> members) {
  public MemberListing {
    members = List.copyOf(members);
  }

  /** The cluster ID as etcdctl prints it (unsigned hex). */
  public String clusterIdHex() {
    return Long.toHexString(clusterId);
  }
}
