package io.etcdguard.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every PromQL expression of the Grafana dashboard, with the Grafana variables replaced so that
 * Prometheus (or promtool) can run it. Meant to be reused by a test that runs the panels against a real
 * Prometheus scraping the operator.
 */
public final class DashboardQueries {
  /** Values for the variables the dashboard uses; each selects everything. */
  public static final Map<String, String> VARIABLES = Map.of(
      "$__rate_interval", "5m",
      "$__interval", "1m",
      "$__range", "1h",
      "$job", ".+",
      "$policy", ".+");

  public record PanelQuery(String panel, String refId, String expr) {
    /** The expression with Grafana's variables replaced: plain PromQL. */
    public String promql() {
      String promql = expr;
      for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
        String name = variable.getKey().substring(1);
        promql = promql.replace("${" + name + "}", variable.getValue()).replace(variable.getKey(), variable.getValue());
      }
      return promql;
    }
  }

  private DashboardQueries() {
  }

  public static List<PanelQuery> of(Path dashboardJson) {
    List<PanelQuery> queries = new ArrayList<>();
    collect(Yaml.at(Yaml.jsonMap(ProjectFiles.read(dashboardJson)), "panels"), queries);
    return queries;
  }

  @SuppressWarnings("unchecked")
  private static void collect(List<Map<String, Object>> panels, List<PanelQuery> queries) {
    if (panels == null) {
      return;
    }
    for (Map<String, Object> panel : panels) {
      // Collapsed rows keep their panels inside the row.
      collect((List<Map<String, Object>>) panel.get("panels"), queries);
      for (Map<String, Object> target : (List<Map<String, Object>>) panel.getOrDefault("targets", List.of())) {
        if (target.get("expr") instanceof String expr && !expr.isBlank()) {
          queries.add(new PanelQuery((String) panel.get("title"), (String) target.get("refId"), expr));
        }
      }
    }
  }
}
