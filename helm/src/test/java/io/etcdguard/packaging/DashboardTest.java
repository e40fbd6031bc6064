package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard: the panels the issue asks for, each query valid PromQL on real metric names. */
class DashboardTest {
  /** The metrics the operator exports (fixed names), with the series a Micrometer Timer adds. */
  static final Set<String> OPERATOR_METRICS = Set.of(
      "etcdguard_member_violation", "etcdguard_member_diagnosis", "etcdguard_member_info", "etcdguard_policy_members",
      "etcdguard_policy_violations", "etcdguard_etcd_up", "etcdguard_check_duration_seconds_count",
      "etcdguard_check_duration_seconds_sum", "etcdguard_check_duration_seconds_max",
      "etcdguard_check_duration_seconds_bucket", "etcdguard_checks_total",
      "etcdguard_last_successful_check_timestamp_seconds", "etcdguard_etcd_client_cert_expiry_timestamp_seconds");
  private static final Pattern METRIC = Pattern.compile("\\b(etcdguard_[a-z_]+)\\b");

  private final Map<String, Object> dashboard = Yaml.jsonMap(ProjectFiles.read(ProjectFiles.dashboardFile()));
  private final List<DashboardQueries.PanelQuery> queries = DashboardQueries.of(ProjectFiles.dashboardFile());

  @Test
  void theDashboardHasThePanelsTheIssueAsksFor() {
    List<Map<String, Object>> panels = Yaml.at(dashboard, "panels");
    assertThat(panels).extracting(p -> (String) p.get("title")).contains(
        "Policies overview", "Members", "Violations by reason", "etcd up", "Check latency",
        "Time since last successful check");
    assertThat(panels).extracting(p -> p.get("id")).doesNotHaveDuplicates();
    assertThat(dashboard.get("uid")).isEqualTo("etcd-address-guard");
  }

  @Test
  void theMembersPanelShowsPeerUrlsAndNodes() {
    assertThat(queries).filteredOn(q -> q.panel().equals("Members")).singleElement()
        .satisfies(q -> assertThat(q.expr()).contains("etcdguard_member_info", "peer_url", "node", "member_id"));
  }

  @Test
  void everyQueryUsesTheDataSourceAndPolicyVariables() {
    List<Map<String, Object>> panels = Yaml.at(dashboard, "panels");
    assertThat(panels).allSatisfy(p -> assertThat(Yaml.<String>at(p, "datasource", "uid")).isEqualTo("${datasource}"));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(12).allSatisfy(q ->
        assertThat(q.expr()).as(q.panel()).contains("job=~\"$job\"", "policy=~\"$policy\""));
  }

  @Test
  void everyQueryReadsOnlyMetricsTheOperatorExports() {
    Set<String> used = new HashSet<>();
    for (DashboardQueries.PanelQuery query : queries) {
      Matcher matcher = METRIC.matcher(query.expr());
      while (matcher.find()) {
        used.add(matcher.group(1));
      }
    }
    assertThat(OPERATOR_METRICS).containsAll(used);
    assertThat(used).contains("etcdguard_member_violation", "etcdguard_member_diagnosis", "etcdguard_member_info", "etcdguard_etcd_up",
        "etcdguard_check_duration_seconds_bucket", "etcdguard_last_successful_check_timestamp_seconds");
  }

  @Test
  void everyQueryIsValidPromql() throws Exception {
    Tools.Result result = Promtool.checkRules(asRecordingRules("dashboard", queries));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
  }

  @Test
  void theSyntaxCheckRejectsABrokenQuery() throws Exception {
    List<DashboardQueries.PanelQuery> broken = List.of(
        new DashboardQueries.PanelQuery("broken", "A", "sum by (policy (etcdguard_etcd_up{policy=~\"$policy\"})"));
    Tools.Result result = Promtool.checkRules(asRecordingRules("broken", broken));
    assertThat(result.exitCode()).isNotZero();
  }

  /** Each panel expression as a recording rule, so that promtool check rules parses it. */
  private static Path asRecordingRules(String name, List<DashboardQueries.PanelQuery> queries) throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-panels\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules.append("      - record: dashboard:panel_query:").append(i).append('\n')
          .append("        expr: ").append(Yaml.JSON.writeValueAsString(queries.get(i).promql())).append('\n');
    }
    Path file = ProjectFiles.scratch("dashboard").resolve(name + "-rules.yaml");
    Files.writeString(file, rules);
    return file;
  }
}
