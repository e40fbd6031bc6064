package io.etcdguard.status;

import io.etcdguard.check.CheckOutcome;
import io.etcdguard.metrics.PolicyMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md and docs/events.md list exactly what the code emits. */
class DocsMatchCodeTest {
  static final Path DOCS = Fixtures.docs();

  @Test
  void metricsReferenceListsEveryMetricAndNoOther() throws Exception {
    // What a scrape really exports after checks of every outcome (the Timer's _max gauge is part of its histogram).
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PolicyMetrics metrics = new PolicyMetrics(registry);
    metrics.recordCheck("p", CheckOutcome.Kind.SUCCESS, Duration.ofMillis(3));
    metrics.recordVerdicts("p", ((CheckOutcome.Checked) StatusAndEventsTest.TEMPORARY).result().verdicts());
    metrics.recordSuccess("p", Instant.EPOCH);
    metrics.recordPostures("p", List.of(new io.etcdguard.classify.NodePosture("n", "m",
        List.of(new io.etcdguard.classify.RiskFinding(io.etcdguard.classify.Risk.NodeIPNotPinned, "x", null, null)),
        io.etcdguard.classify.HostReports.State.MISSING, null, null, true)));
    metrics.recordClientCertificateExpiry("p", Instant.EPOCH);
    metrics.recordCheck("p", CheckOutcome.Kind.ETCD_ERROR, Duration.ofMillis(3));
    metrics.recordCheck("q", CheckOutcome.Kind.SUCCESS, Duration.ofMillis(3));
    metrics.recordHealth("q", ((CheckOutcome.Checked) StatusAndEventsTest.TEMPORARY).result().verdicts(),
        QuorumReportingTest.ONE_DOWN);
    Set<String> exported = new TreeSet<>();
    Matcher type = Pattern.compile("(?m)^# TYPE (etcdguard_\\w+) ").matcher(registry.scrape());
    while (type.find()) {
      exported.add(type.group(1).replaceFirst("_max$", ""));
    }
    assertThat(firstColumn(DOCS.resolve("metrics.md"))).containsExactlyInAnyOrderElementsOf(exported);
  }

  @Test
  void eventsReferenceListsEveryReasonAndNoOther() throws IOException {
    assertThat(firstColumn(DOCS.resolve("events.md"))).containsExactlyInAnyOrderElementsOf(EventReasons.all());
  }

  static List<String> firstColumn(Path table) throws IOException {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z0-9_]+)` \\|").matcher(Files.readString(table));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
