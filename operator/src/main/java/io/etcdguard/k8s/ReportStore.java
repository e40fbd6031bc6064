package io.etcdguard.k8s;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.classify.HostReports;
import io.etcdguard.host.NodeAddressReports;
import io.etcdguard.host.NodeHostReport;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NodeAddressReport informer's store. Each report is parsed once, here, into the host model that
 * classification reads ({@link NodeHostReport}, by Node name); a malformed report is logged with the field it
 * lacks and left out, as if the Node had none.
 */
public final class ReportStore implements ItemStore<NodeAddressReport> {
  private static final Logger LOG = LoggerFactory.getLogger(ReportStore.class);

  private final Map<String, NodeAddressReport> byKey = new ConcurrentHashMap<>();
  private final Map<String, NodeHostReport> byNode = new ConcurrentHashMap<>();
  private final Map<String, String> nodeOfKey = new ConcurrentHashMap<>();

  @Override
  public String getKey(NodeAddressReport report) {
    return Cache.metaNamespaceKeyFunc(report);
  }

  @Override
  public NodeAddressReport put(String key, NodeAddressReport report) {
    String oldNode = nodeOfKey.remove(key);
    if (oldNode != null) {
      byNode.remove(oldNode);
    }
    try {
      NodeHostReport parsed = NodeAddressReports.toHostReport(report);
      byNode.put(parsed.nodeName(), parsed);
      nodeOfKey.put(key, parsed.nodeName());
    } catch (IllegalArgumentException malformed) {
      LOG.warn("ignoring {}", malformed.getMessage());
    }
    return byKey.put(key, report);
  }

  @Override
  public NodeAddressReport remove(String key) {
    String node = nodeOfKey.remove(key);
    if (node != null) {
      byNode.remove(node);
    }
    return byKey.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<NodeAddressReport> values() {
    return byKey.values().stream();
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public NodeAddressReport get(String key) {
    return byKey.get(key);
  }

  /** The parsed reports by Node name, as of {@code now}. */
  public HostReports reports(Instant now) {
    return HostReports.of(Map.copyOf(byNode), now);
  }

  /** The Node a report is about (spec.nodeName, else its name). */
  public static String nodeOf(NodeAddressReport report) {
    return report.getSpec() != null && report.getSpec().getNodeName() != null ? report.getSpec().getNodeName()
        : report.getMetadata().getName();
  }
}
