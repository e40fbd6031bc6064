package io.etcdguard.classify;

import java.util.List;

/**
 * An etcd member as etcd reports it.
 *
 * @param id unsigned 64-bit member ID held in a long: use {@link #idHex()} to show it
 * @param name empty for a member that was added but never started
 */
public record EtcdMember(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
  public EtcdMember {
    name = name == null ? "" : name;
    peerUrls = List.copyOf(peerUrls);
    clientUrls = List.copyOf(clientUrls);
  }

  /** The ID as etcdctl prints it (unsigned hex): Long.toHexString treats the long as unsigned. */
  public String idHex() {
    return Long.toHexString(id);
  }

  public boolean started() {
    return !name.isEmpty();
  }
}
