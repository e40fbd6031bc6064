package io.etcdguard.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
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
}
