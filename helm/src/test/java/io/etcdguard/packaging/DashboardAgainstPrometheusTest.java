package io.etcdguard.packaging;

import static io.etcdguard.packaging.OperatorUnderPrometheus.JOB;
import static io.etcdguard.packaging.OperatorUnderPrometheus.LOSANGELES;
import static io.etcdguard.packaging.OperatorUnderPrometheus.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every Grafana panel query, run by a real Prometheus that has scraped the real operator while an etcd
 * member violates the policy (the seed incident): the queries run, read metrics that exist, and show the
 * member. DashboardTest checks the same queries' syntax and names offline.
 */
class DashboardAgainstPrometheusTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern ETCDGUARD_METRIC = Pattern.compile("\\b(etcdguard_[a-z_]+)\\b");
  /** An identifier that is not a function call (possessive, so "rate(" is not read as "rat"). */
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset", "inf", "nan");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)");

  @RegisterExtension
  static final SharedPrometheusStack SHARED = new SharedPrometheusStack();
  static OperatorUnderPrometheus stack;
  static final List<DashboardQueries.PanelQuery> QUERIES = DashboardQueries.of(ProjectFiles.dashboardFile());

  @BeforeAll
  static void waitForTheViolation() {
    stack = SHARED.get();
    // The member's current violation, not a series Prometheus kept from before a restore.
    await("etcdguard_member_violation of " + LOSANGELES + " stored by Prometheus").atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> !stack.prometheus.vector("etcdguard_member_violation{member=\"" + LOSANGELES + "\"} == 1").isEmpty());
    // The operator sets a check's series one after another: one more scrape has them all.
    double seen = System.currentTimeMillis() / 1000.0;
    await("a scrape after the violation was seen").atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> lastScrape() > seen);
  }

  @Test
  void everyPanelQueryRuns() {
    assertThat(QUERIES).isNotEmpty();
    List<String> failures = new ArrayList<>();
    for (DashboardQueries.PanelQuery query : QUERIES) {
      Map<String, Object> response = stack.prometheus.query(query.promql());
      if (!"success".equals(response.get("status"))) {
        failures.add(describe(query) + ": " + response.get("errorType") + ": " + response.get("error"));
      }
    }
    assertThat(failures).as("panel queries Prometheus refused").isEmpty();
  }

  @Test
  void everyMetricThePanelsReadIsStoredByPrometheus() {
    Set<String> stored = Set.copyOf(stack.prometheus.metricNames());
    List<String> missing = new ArrayList<>();
    for (DashboardQueries.PanelQuery query : QUERIES) {
      for (String metric : metricNames(query.promql())) {
        if (!stored.contains(metric)) {
          missing.add(describe(query) + " reads " + metric);
        }
      }
    }
    assertThat(missing).as("metrics the panels read that the operator does not export (stored: %s)", stored).isEmpty();
  }

  @Test
  void everyPanelShowsData() {
    // Rates need two samples in their window: a few scrapes.
    await("every panel query returns series").atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      List<String> empty = new ArrayList<>();
      for (DashboardQueries.PanelQuery query : QUERIES) {
        List<Map<String, Object>> series = seriesOf(query);
        if (series != null && series.isEmpty()) {
          empty.add(describe(query));
        }
      }
      assertThat(empty).as("panel queries with no data").isEmpty();
    });
  }

  @Test
  void theDashboardShowsTheViolatingMember() {
    List<String> showing = new ArrayList<>();
    for (DashboardQueries.PanelQuery query : QUERIES) {
      if (String.valueOf(seriesOf(query)).contains(LOSANGELES)) {
        showing.add(query.panel());
      }
    }
    assertThat(showing).as("panels whose query result names %s", LOSANGELES).isNotEmpty();
    assertThat(showing).contains("Members", "Current diagnoses");
  }

  @Test
  void theJobAndPolicyVariablesListWhatPrometheusScraped() {
    Map<String, String> variables = new HashMap<>();
    List<Map<String, Object>> templating = Yaml.at(Yaml.jsonMap(ProjectFiles.read(ProjectFiles.dashboardFile())), "templating", "list");
    for (Map<String, Object> variable : templating) {
      if ("query".equals(variable.get("type"))) {
        variables.put((String) variable.get("name"), (String) variable.get("definition"));
      }
    }
    assertThat(variables).containsOnlyKeys("job", "policy");
    assertThat(labelValues(variables.get("job"))).as(variables.get("job")).contains(JOB);
    assertThat(labelValues(variables.get("policy"))).as(variables.get("policy")).contains(POLICY);
  }

  @Test
  void theMetricNameReaderFindsEveryKindOfSelector() {
    assertThat(metricNames("absent(up{job=\"a\"} == 1)")).containsExactly("up");
    assertThat(metricNames("sum by (le) (rate(foo_bucket{x=~\"y|z\"}[5m] offset 5m)) / on (le) group_left (a) bar"))
        .containsExactly("foo_bucket", "bar");
    assertThat(metricNames("time() - max by (policy) (etcdguard_last_successful_check_timestamp_seconds)"))
        .containsExactly("etcdguard_last_successful_check_timestamp_seconds");
    assertThat(metricNames("histogram_quantile(0.95, sum(rate(x[1m])) by (le))")).containsExactly("x");
  }

  /** The metric names an expression reads: identifiers that are not functions, keywords, labels or durations. */
  static Set<String> metricNames(String promql) {
    String stripped = promql
        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^\\]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher identifier = IDENTIFIER.matcher(stripped);
    while (identifier.find()) {
      if (!KEYWORDS.contains(identifier.group(1).toLowerCase(Locale.ROOT))) {
        names.add(identifier.group(1));
      }
    }
    Matcher etcdguard = ETCDGUARD_METRIC.matcher(promql);
    while (etcdguard.find()) {
      if (!names.contains(etcdguard.group(1))) {
        throw new AssertionError("the metric name reader missed " + etcdguard.group(1) + " in " + promql);
      }
    }
    return names;
  }

  /** What Grafana asks Prometheus for a label_values(selector, label) variable. */
  private static List<String> labelValues(String definition) {
    Matcher matcher = LABEL_VALUES.matcher(definition);
    assertThat(matcher.matches()).as("a label_values(selector, label) variable: %s", definition).isTrue();
    String selector = new DashboardQueries.PanelQuery("variable", "-", matcher.group(1)).promql();
    return stack.prometheus.labelValues(matcher.group(2), selector);
  }

  /** The series a panel query returns, or null if Prometheus refuses it (everyPanelQueryRuns names those). */
  private static List<Map<String, Object>> seriesOf(DashboardQueries.PanelQuery query) {
    Map<String, Object> response = stack.prometheus.query(query.promql());
    return "success".equals(response.get("status")) ? Yaml.at(response, "data", "result") : null;
  }

  private static double lastScrape() {
    List<Map<String, Object>> result = stack.prometheus.vector("timestamp(up{job=\"" + JOB + "\"})");
    return result.isEmpty() ? 0 : Double.parseDouble(String.valueOf(Yaml.<List<Object>>at(result.get(0), "value").get(1)));
  }

  private static String describe(DashboardQueries.PanelQuery query) {
    return "panel \"" + query.panel() + "\" (" + query.refId() + "): " + query.promql();
  }
}
