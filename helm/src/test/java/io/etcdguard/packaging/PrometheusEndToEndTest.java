package io.etcdguard.packaging;

import static io.etcdguard.packaging.OperatorUnderPrometheus.JOB;
import static io.etcdguard.packaging.OperatorUnderPrometheus.LOSANGELES;
import static io.etcdguard.packaging.OperatorUnderPrometheus.LOSANGELES_NODE;
import static io.etcdguard.packaging.OperatorUnderPrometheus.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped alert rules in a real Prometheus that scrapes the real operator watching a real etcd in the
 * seed incident's state: the critical alert fires with the member's details, the operator's own alerts stay
 * quiet, and the alert resolves once the member is moved back. The steps build on each other, in order.
 *
 * <p>The rules are loaded with every {@code for:} rewritten to 0s (see
 * {@link OperatorUnderPrometheus#withoutHoldDurations}): the shipped minutes are checked by promtool's unit
 * tests (PrometheusRulesTest); here the expressions, labels and annotations meet the real metrics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusEndToEndTest {
  static final String TEMPORARY_IPV6_ALERT = "EtcdMemberTemporaryIPv6PeerURL";
  static final List<String> OPERATOR_HEALTH_ALERTS = List.of("EtcdAddressGuardEtcdUnreachable", "EtcdAddressGuardDown");
  static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final SharedPrometheusStack SHARED = new SharedPrometheusStack();
  static OperatorUnderPrometheus stack;

  @BeforeAll
  static void inTheIncidentsState() {
    stack = SHARED.get();
  }

  @Test
  @Order(1)
  void prometheusLoadedEveryShippedAlertWithoutItsHoldDuration() {
    String shipped = ProjectFiles.read(ProjectFiles.alertsFile());
    String loaded = OperatorUnderPrometheus.withoutHoldDurations(shipped);
    assertThat(loaded.lines().filter(l -> l.trim().startsWith("for:"))).allMatch(l -> l.trim().equals("for: 0s"))
        .hasSize(AlertRules.all().size());
    assertThat(loaded.replaceAll("for: \\S+", "")).isEqualTo(shipped.replaceAll("for: \\S+", ""));

    List<Map<String, Object>> rules = stack.prometheus.alertingRules();
    assertThat(rules).extracting(r -> r.get("name")).containsExactlyElementsOf(AlertRules.names());
    assertThat(rules).allSatisfy(r -> assertThat(((Number) r.get("duration")).doubleValue()).as("for: of %s", r.get("name")).isZero());
  }

  @Test
  @Order(2)
  void theTemporaryIpv6AlertFiresForTheMemberWithItsDetails() {
    String peerUrl = stack.temporaryPeerUrl();
    Map<String, Object> alert = await("firing " + TEMPORARY_IPV6_ALERT).atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> firing(TEMPORARY_IPV6_ALERT), alerts -> !alerts.isEmpty()).get(0);

    Map<String, String> labels = Yaml.at(alert, "labels");
    assertThat(labels).as("labels of %s", alert)
        .containsEntry("member", LOSANGELES)
        .containsEntry("node", LOSANGELES_NODE)
        .containsEntry("member_id", stack.memberIdHex(LOSANGELES))
        .containsEntry("peer_url", peerUrl)
        .containsEntry("policy", POLICY)
        .containsEntry("reason", "TemporaryIPv6Address")
        .containsEntry("severity", "critical");
    assertThat(Yaml.<String>at(alert, "annotations", "description")).as("description of %s", alert)
        .contains(LOSANGELES, peerUrl);
    assertThat(firing(TEMPORARY_IPV6_ALERT)).as("one alert for the one member").hasSize(1);
  }

  @Test
  @Order(3)
  void theIncidentPagesOnceTheEvidenceReasonsRaiseNoAlertOfTheirOwn() {
    // fd00::/8 on a node whose InternalIP is IPv4: not the node's address and the wrong family too, but
    // those are evidence of the temporary address (the primary reason), so they do not page.
    await("no NotNodeIP or family alert for 3 s").atMost(WAIT).pollInterval(Duration.ofMillis(250)).during(Duration.ofSeconds(3))
        .until(() -> firing("EtcdMemberPeerURLNotNodeIP").isEmpty() && firing("EtcdMemberAddressFamilyMismatch").isEmpty());
    assertThat(firing(TEMPORARY_IPV6_ALERT)).as("the one alert still fires").hasSize(1);
  }

  @Test
  @Order(4)
  void theOperatorHealthAlertsDoNotFire() {
    // The operator group is evaluated on its own schedule: give it a few evaluations after the first scrapes.
    await("no operator health alert for 3 s").atMost(WAIT).pollInterval(Duration.ofMillis(250)).during(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(activeAlerts()).as("active alerts")
            .noneMatch(a -> OPERATOR_HEALTH_ALERTS.contains(Yaml.<String>at(a, "labels", "alertname"))));
    assertThat(stack.prometheus.vector("up{job=\"" + JOB + "\"} == 1")).as("targets of job %s that are up", JOB).hasSize(1);
  }

  @Test
  @Order(5)
  void theAlertResolvesOnceTheMemberIsMovedBack() {
    stack.restoreLosAngeles();

    await("resolved " + TEMPORARY_IPV6_ALERT).atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(firing(TEMPORARY_IPV6_ALERT)).as("firing " + TEMPORARY_IPV6_ALERT).isEmpty());
    assertThat(activeAlerts()).as("active alerts once the member is back on its node's address")
        .noneMatch(a -> LOSANGELES.equals(Yaml.at(a, "labels", "member")));
  }

  static List<Map<String, Object>> activeAlerts() {
    return stack.prometheus.alerts();
  }

  static List<Map<String, Object>> firing(String alertname) {
    return activeAlerts().stream()
        .filter(a -> alertname.equals(Yaml.at(a, "labels", "alertname")) && "firing".equals(a.get("state")))
        .toList();
  }
}
