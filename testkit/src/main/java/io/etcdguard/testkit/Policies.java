package io.etcdguard.testkit;

import io.etcdguard.api.v1alpha1.EtcdConnection;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicySpec;
import java.util.ArrayList;
import java.util.List;

/** The policy the demo and the tests apply: given endpoints, default rules, a chosen interval. */
public final class Policies {
  private Policies() {}

  public static NodeAddressPolicy forEndpoints(String name, List<String> endpoints, String checkInterval) {
    NodeAddressPolicy policy = new NodeAddressPolicy();
    policy.getMetadata().setName(name);
    NodeAddressPolicySpec spec = new NodeAddressPolicySpec();
    EtcdConnection etcd = new EtcdConnection();
    etcd.setEndpoints(new ArrayList<>(endpoints));
    spec.setEtcd(etcd);
    spec.setCheckInterval(checkInterval);
    policy.setSpec(spec);
    return policy;
  }
}
