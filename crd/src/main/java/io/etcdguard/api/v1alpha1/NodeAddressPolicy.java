package io.etcdguard.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A cluster-scoped policy: which etcd cluster to check, which Nodes host its members, and which
 * peer addresses are acceptable. Not namespaced on purpose: etcd and Nodes are cluster-wide.
 */
@Group(NodeAddressPolicy.GROUP)
@Version(NodeAddressPolicy.VERSION)
@Kind(NodeAddressPolicy.KIND)
@Plural("nodeaddresspolicies")
@Singular("nodeaddresspolicy")
@ShortNames("nap")
@AdditionalPrinterColumn(name = "Members", jsonPath = ".status.summary.members", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Violations", jsonPath = ".status.summary.violations", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Compliant", jsonPath = ".status.conditions[?(@.type==\"Compliant\")].status")
@AdditionalPrinterColumn(name = "Etcd", jsonPath = ".status.conditions[?(@.type==\"EtcdReachable\")].status")
@AdditionalPrinterColumn(name = "Healthy", jsonPath = ".status.summary.quorum.healthyVoters", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Fault Tolerance", jsonPath = ".status.summary.quorum.faultTolerance", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Restart Safe", jsonPath = ".status.conditions[?(@.type==\"RestartSafe\")].status")
@AdditionalPrinterColumn(name = "Last Check", jsonPath = ".status.lastCheckTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NodeAddressPolicy extends CustomResource<NodeAddressPolicySpec, NodeAddressPolicyStatus> {
  public static final String GROUP = "etcdguard.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "NodeAddressPolicy";
  public static final String CRD_NAME = "nodeaddresspolicies." + GROUP;

  /** Never fails: an unreadable spec is kept as one that names its problem, so one bad policy cannot stop the informer. */
  @Override
  @JsonDeserialize(using = LenientSpecDeserializer.class)
  public void setSpec(NodeAddressPolicySpec spec) {
    super.setSpec(spec);
  }

  /** An unreadable spec is written as it was stored, so serializing a copy loses nothing. */
  @Override
  @JsonSerialize(using = LenientSpecDeserializer.AsStored.class)
  public NodeAddressPolicySpec getSpec() {
    return super.getSpec();
  }

  /** Never fails: a status this version cannot read is treated as absent and rewritten by the next check. */
  @Override
  @JsonDeserialize(using = LenientStatusDeserializer.class)
  public void setStatus(NodeAddressPolicyStatus status) {
    super.setStatus(status);
  }
}
