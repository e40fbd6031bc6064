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
 * What the node agent read from one Node's host: addresses with their kernel flags and lifetimes, default routes,
 * privacy sysctls, and the address an auto-detecting K3s/RKE2 start would pick (now, and before IPv4 is up).
 * Cluster-scoped and named after the Node. Written only by the agent on that Node; everything is in spec.
 */
@Group(NodeAddressPolicy.GROUP)
@Version(NodeAddressPolicy.VERSION)
@Kind(NodeAddressReport.KIND)
@Plural(NodeAddressReport.PLURAL)
@Singular("nodeaddressreport")
@ShortNames("nar")
@AdditionalPrinterColumn(name = "Source", jsonPath = ".spec.source")
@AdditionalPrinterColumn(name = "Now", jsonPath = ".spec.predictions.now.address")
@AdditionalPrinterColumn(name = "Boot Race", jsonPath = ".spec.predictions.bootRace.address")
@AdditionalPrinterColumn(name = "Observed", jsonPath = ".spec.observedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NodeAddressReport extends CustomResource<NodeAddressReportSpec, Void> {
  public static final String KIND = "NodeAddressReport";
  public static final String PLURAL = "nodeaddressreports";
  public static final String CRD_NAME = PLURAL + "." + NodeAddressPolicy.GROUP;

  public static final String SOURCE_NETLINK = "Netlink";
  public static final String SOURCE_PROC = "Proc";
  public static final String LIFETIME_FOREVER = "Forever";
  public static final String LIFETIME_FINITE = "Finite";
  public static final String LIFETIME_UNKNOWN = "Unknown";
  public static final String CERTAIN = "Certain";
  public static final String UNCERTAIN = "Uncertain";
}
