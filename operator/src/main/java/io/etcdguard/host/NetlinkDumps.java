package io.etcdguard.host;

import io.etcdguard.host.NetlinkMessages.AddressMessage;
import io.etcdguard.host.NetlinkMessages.LinkMessage;
import java.util.List;

/** The two rtnetlink dumps the agent needs; {@link NetlinkSocket} in production, a fake in tests. */
public interface NetlinkDumps {
  /** RTM_GETLINK: every interface. */
  List<LinkMessage> links();

  /** RTM_GETADDR with AF_UNSPEC, in the kernel's dump order. */
  List<AddressMessage> addresses();
}
