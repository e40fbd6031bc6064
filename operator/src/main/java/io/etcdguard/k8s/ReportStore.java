package io.etcdguard.k8s;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.classify.HostReports;
import io.etcdguard.host.NodeAddressReports;
import io.etcdguard.host.NodeHostReport;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NodeAddressReport informer's store. Each report is parsed once, here, into the host model that
 * classification reads ({@link NodeHostReport}, by Node name); a malformed report is logged with the field it
 * lacks and left out, as if the Node had none.
 */
public final class ReportStore extends SlimItemStore<NodeAddressReport, NodeHostReport> {
  private static final Logger LOG = LoggerFactory.getLogger(ReportStore.class);

  public ReportStore() {
    super(UnaryOperator.identity(), ReportStore::parse);
  }

  private static Indexed<NodeHostReport> parse(NodeAddressReport report) {
    try {
      NodeHostReport parsed = NodeAddressReports.toHostReport(report);
      return new Indexed<>(parsed.nodeName(), parsed);
    } catch (IllegalArgumentException malformed) {
      LOG.warn("ignoring {}", malformed.getMessage());
      return null;
    }
  }

  /** The parsed reports by Node name, as of {@code now}. */
  public HostReports reports(Instant now) {
    return HostReports.of(viewsByName(), now);
  }

  /** The Node a report is about (spec.nodeName, else its name). */
  public static String nodeOf(NodeAddressReport report) {
    return report.getSpec() != null && report.getSpec().getNodeName() != null ? report.getSpec().getNodeName()
        : report.getMetadata().getName();
  }
}
