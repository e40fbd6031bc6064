package io.etcdguard.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The alerting rules of the one rules file, read as plain data. */
final class AlertRules {
  static final String RUNBOOK_BASE = "https://github.com/etcd-address-guard/etcd-address-guard/blob/main/docs/runbooks/";

  record Alert(String group, String name, String expr, String forDuration, Map<String, String> labels,
               Map<String, String> annotations) {
    String severity() {
      return labels.get("severity");
    }
  }

  private AlertRules() {
  }

  @SuppressWarnings("unchecked")
  static List<Alert> all() {
    List<Alert> alerts = new ArrayList<>();
    Map<String, Object> file = Yaml.map(ProjectFiles.read(ProjectFiles.alertsFile()));
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        if (rule.containsKey("alert")) {
          alerts.add(new Alert((String) group.get("name"), (String) rule.get("alert"), (String) rule.get("expr"),
              (String) rule.get("for"), (Map<String, String>) rule.getOrDefault("labels", Map.of()),
              (Map<String, String>) rule.getOrDefault("annotations", Map.of())));
        }
      }
    }
    return alerts;
  }

  static List<String> names() {
    return all().stream().map(Alert::name).toList();
  }
}
