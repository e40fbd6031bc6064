package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import io.etcdguard.classify.Reason;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The alerts: promtool-valid, unit-tested firing and not firing, documented, with a runbook each. */
class PrometheusRulesTest {
  /** The alerts the issue asks for, no more, no fewer. */
  static final List<String> ALERTS = List.of(
      "EtcdMemberTemporaryIPv6PeerURL", "EtcdMemberPeerURLNotNodeIP", "EtcdMemberAddressFamilyMismatch",
      "EtcdMemberWithoutNode", "EtcdMemberDownNodeNotReady", "EtcdNodeRestartRisk", "EtcdAddressGuardEtcdUnreachable", "EtcdAddressGuardChecksStale",
      "EtcdAddressGuardClientCertificateExpiring", "EtcdAddressGuardDown", "EtcdQuorumLost", "EtcdNoFaultTolerance",
      "EtcdFaultToleranceExpiring");
  /** Every reason etcdguard_member_diagnosis can carry: any reason can be a member's primary one. */
  static final List<String> REASONS = Reason.PRIMARY_ORDER.stream().map(Reason::name).toList();
  private static final Pattern REASON_MATCHER = Pattern.compile("reason=~?\"([^\"]+)\"");

  @Test
  void theRulesFileHasExactlyTheseAlerts() {
    assertThat(AlertRules.names()).containsExactlyElementsOf(ALERTS);
  }

  @Test
  void promtoolAcceptsTheRulesFile() throws Exception {
    Tools.Result result = Promtool.checkRules(ProjectFiles.alertsFile());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
  }

  @Test
  void promtoolAcceptsTheRenderedPrometheusRuleWithAnotherJobName() throws Exception {
    Map<String, Object> rule = HelmChart.render(Map.of("metrics", Map.of("jobName", "etcd-guard"),
        "prometheusRule", Map.of("enabled", true))).single("PrometheusRule");
    Path file = ProjectFiles.scratch("promtool").resolve("rendered-prometheusrule-spec.yaml");
    Files.writeString(file, Yaml.write(rule.get("spec")));
    Tools.Result result = Promtool.checkRules(file);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void promtoolUnitTestsPass() throws Exception {
    Tools.Result result = Promtool.testRules(ProjectFiles.promtoolTestsDir(), unitTestFiles().toArray(Path[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  @Test
  void promtoolUnitTestsCanFail() throws Exception {
    // The same tests against rules whose temporary-IPv6 alert waits longer must fail.
    Path dir = ProjectFiles.scratch("promtool-mutant");
    Path rules = dir.resolve("etcdguard-alerts.yaml");
    Files.writeString(rules, ProjectFiles.read(ProjectFiles.alertsFile()).replaceFirst("for: 5m", "for: 30m"));
    Path test = dir.resolve("member-alerts-test.yaml");
    Files.writeString(test, ProjectFiles.read(ProjectFiles.promtoolTestsDir().resolve("member-alerts-test.yaml"))
        .replace("../../../etcd-address-guard/files/etcdguard-alerts.yaml", "etcdguard-alerts.yaml"));
    Tools.Result result = Promtool.testRules(dir, test);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("FAILED").contains("EtcdMemberTemporaryIPv6PeerURL");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot() throws IOException {
    Set<String> fires = new HashSet<>();
    Set<String> staysQuiet = new HashSet<>();
    for (Path file : unitTestFiles()) {
      for (Map<String, Object> test : (List<Map<String, Object>>) Yaml.map(Files.readString(file)).get("tests")) {
        for (Map<String, Object> check : (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
          List<Object> expected = (List<Object>) check.get("exp_alerts");
          (expected == null || expected.isEmpty() ? staysQuiet : fires).add((String) check.get("alertname"));
        }
      }
    }
    assertThat(fires).as("alerts with a firing case").containsAll(ALERTS);
    assertThat(staysQuiet).as("alerts with a quiet case").containsAll(ALERTS);
  }

  @Test
  void everyAlertCarriesSeveritySummaryDescriptionAndRunbook() {
    assertThat(AlertRules.all()).allSatisfy(alert -> {
      assertThat(alert.severity()).as(alert.name()).isIn("warning", "critical");
      assertThat(alert.forDuration()).as(alert.name()).matches("[0-9]+m");
      assertThat(alert.annotations()).as(alert.name()).containsOnlyKeys("summary", "description", "runbook_url");
      assertThat(alert.annotations().get("summary")).as(alert.name()).isNotBlank();
      assertThat(alert.annotations().get("runbook_url")).isEqualTo(AlertRules.RUNBOOK_BASE + alert.name() + ".md");
      assertThat(alert.expr()).as(alert.name()).contains("job=\"etcd-address-guard\"");
    });
  }

  @Test
  void memberAlertsNameTheMemberItsNodeAndItsAddress() {
    assertThat(AlertRules.all()).filteredOn(a -> a.name().startsWith("EtcdMember")).hasSize(5).allSatisfy(alert -> {
      String description = alert.annotations().get("description");
      assertThat(description).as(alert.name()).contains("$labels.member", "$labels.member_id", "$labels.peer_url");
      assertThat(alert.expr()).as(alert.name()).contains("group_left (member_id, peer_url)", "etcdguard_member_info");
      if (!alert.name().equals("EtcdMemberWithoutNode")) {
        assertThat(description).as(alert.name()).contains("$labels.node");
      }
    });
  }

  @Test
  void memberAlertsKeyOnThePrimaryReasonNotOnTheEvidence() {
    assertThat(AlertRules.all()).filteredOn(a -> a.name().startsWith("EtcdMember")).allSatisfy(alert ->
        assertThat(alert.expr()).as(alert.name()).contains("etcdguard_member_diagnosis{").doesNotContain("etcdguard_member_violation"));
  }

  @Test
  void everyViolationReasonPagesThroughExactlyOneAlert() {
    for (String reason : REASONS) {
      List<String> alerts = new ArrayList<>();
      for (AlertRules.Alert alert : AlertRules.all()) {
        Set<String> matched = new HashSet<>();
        Matcher matcher = REASON_MATCHER.matcher(alert.expr());
        while (matcher.find()) {
          matched.addAll(List.of(matcher.group(1).split("\\|")));
        }
        if (matched.contains(reason)) {
          alerts.add(alert.name());
        }
      }
      assertThat(alerts).as("alerts for reason %s", reason).hasSize(1);
    }
  }

  @Test
  void everyAlertHasARunbookWithMeaningImpactDiagnosisAndMitigation() throws IOException {
    Path runbooks = ProjectFiles.docsDir().resolve("runbooks");
    try (Stream<Path> files = Files.list(runbooks)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("README.md")))
          .containsExactlyInAnyOrderElementsOf(ALERTS.stream().map(a -> a + ".md").toList());
    }
    for (String alert : ALERTS) {
      String runbook = Files.readString(runbooks.resolve(alert + ".md"));
      assertThat(runbook).as(alert).startsWith("# " + alert + "\n");
      List<String> sections = runbook.lines().filter(l -> l.startsWith("## ")).toList();
      assertThat(sections).as(alert).containsSubsequence("## Meaning", "## Impact", "## Diagnosis", "## Mitigation");
    }
  }

  /** docs/alerts.md has one row per alert, with the rule's severity and for duration. */
  @Test
  void theAlertReferenceMatchesTheRules() throws IOException {
    String reference = Files.readString(ProjectFiles.docsDir().resolve("alerts.md"));
    Pattern row = Pattern.compile("(?m)^\\| \\[`(\\w+)`\\]\\(runbooks/(\\w+)\\.md\\) \\| (\\w+) \\| (\\w+) \\|");
    Matcher matcher = row.matcher(reference);
    List<String> listed = new ArrayList<>();
    while (matcher.find()) {
      String name = matcher.group(1);
      AlertRules.Alert alert = AlertRules.all().stream().filter(a -> a.name().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("docs/alerts.md lists " + name + ", which the rules do not have"));
      assertThat(matcher.group(2)).isEqualTo(name);
      assertThat(matcher.group(3)).as("severity of %s in docs/alerts.md", name).isEqualTo(alert.severity());
      assertThat(matcher.group(4)).as("for of %s in docs/alerts.md", name).isEqualTo(alert.forDuration());
      listed.add(name);
    }
    assertThat(listed).containsExactlyElementsOf(ALERTS);
  }

  private static List<Path> unitTestFiles() throws IOException {
    try (Stream<Path> files = Files.list(ProjectFiles.promtoolTestsDir())) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
