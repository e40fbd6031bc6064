package io.etcdguard.packaging;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus Operator types the chart renders (monitoring.coreos.com/v1), as far as the chart uses
 * them. fabric8's openshift-model-monitoring 8.0.0 is listed in its BOM but not published, so these
 * records, with the field names of the Prometheus Operator API reference, stand in for it: read
 * strictly, a misspelt field fails. Rule contents are checked by promtool, not here.
 */
final class MonitoringModel {
  private MonitoringModel() {
  }

  record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {
  }

  record ServiceMonitorSpec(String jobLabel, NamespaceSelector namespaceSelector, LabelSelector selector,
                            List<Endpoint> endpoints) {
  }

  record NamespaceSelector(Boolean any, List<String> matchNames) {
  }

  record Endpoint(String port, String path, String scheme, String interval, String scrapeTimeout,
                  Boolean honorLabels, List<Map<String, Object>> relabelings,
                  List<Map<String, Object>> metricRelabelings) {
  }

  record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec) {
  }

  record PrometheusRuleSpec(List<RuleGroup> groups) {
  }

  record RuleGroup(String name, String interval, List<Rule> rules) {
  }

  record Rule(String alert, String record, String expr, @JsonProperty("for") String forDuration,
              Map<String, String> labels, Map<String, String> annotations) {
  }
}
