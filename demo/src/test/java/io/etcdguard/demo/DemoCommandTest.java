package io.etcdguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.audit.InputFiles;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.NodeHostReport;
import io.etcdguard.testkit.TestNetworkNamespace;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command: the demo predicts the restart failure before the reboot (from a real kernel as root,
 * else from the recorded report), reproduces the incident on a real etcd, finds it, and verifies the fix.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoPredictsTheRestartFailureThenDetectsTheSeedIncidentAndTheFix() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DemoCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    Path work = dir.resolve("work");

    int exit = cli.execute("--work-dir", work.toString());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    String text = out.toString();

    // Before the reboot: the member list audits clean, then the agent's report predicts the K3s failure line.
    String temporary = temporaryAddressOf(work.resolve("before-reboot").resolve(BeforeRebootAct.REPORT_FILE));
    String predictedLine = "expect: losangeles-0ac72af5=https://[" + temporary + "]:2380";
    assertThat(text).contains("== 1. Before the reboot", "All 3 members comply.", "RestartRisk",
        "Found [k3s-1-b2495bc5=https://192.168.1.31:2380 losangeles-0ac72af5=https://192.168.1.30:2380", predictedLine,
        "node-ip: 192.168.1.30", "use_tempaddr=0");
    assertThat(text.indexOf("All 3 members comply.")).as("the member list alone is clean before the prediction")
        .isLessThan(text.indexOf("RestartRisk"));
    assertThat(text.indexOf(predictedLine)).as("the act comes before the incident on etcd")
        .isLessThan(text.indexOf("The incident: losangeles joins"));
    Matcher namespace = Pattern.compile("ip netns exec (eg-[0-9a-f]{6}) ").matcher(text);
    if (TestNetworkNamespace.unavailableReason() == null) {
      assertThat(text).doesNotContain(BeforeRebootAct.REPLAYING);
      assertThat(namespace.find()).as("the agent ran in a network namespace").isTrue();
      assertThat(temporary).as("the kernel's own temporary address, not the recorded one").isNotEqualTo(temporaryAddressOf(recordedReport()));
      assertThat(networkNamespaces()).as("the demo deletes its network namespace").doesNotContain(namespace.group(1));
    } else {
      assertThat(text).contains(BeforeRebootAct.REPLAYING);
      assertThat(namespace.find()).isFalse();
    }

    // The incident on a real etcd.
    assertThat(text).contains("losangeles-0ac72af5", "fd00:c0ff:ee:0:da69:8213:dd0b:aac3",
        "TemporaryIPv6Address?,AddressFamilyMismatch,NotNodeInternalIP", "Before=k3s.service", "use_tempaddr=0",
        "node-ip: 127.0.0.30",
        "All 3 members comply.", "Done: the restart failure was predicted");
    assertThat(text.indexOf("TemporaryIPv6Address?")).isLessThan(text.lastIndexOf("All 3 members comply."));
    // The operator act, against the in-process API server.
    assertThat(text).contains("$ kubectl get nodeaddresspolicies")
        .containsPattern("NAME +RESTART SAFE +MEMBERS +VIOLATIONS +COMPLIANT +ETCD +HEALTHY +FAULT TOLERANCE")
        .containsPattern("k3s-etcd +(True|False|Unknown) +3 +1 +False +True +[0-3] +-?[0-9]")
        .containsPattern("k3s-etcd +(True|False|Unknown) +3 +0 +True +True +[0-3] +-?[0-9]")
        .containsPattern("Warning +TemporaryIPv6Address +etcd-address-guard +member losangeles-0ac72af5")
        .containsPattern("Normal +MemberCompliant +etcd-address-guard")
        .contains("etcdguard_member_violation{member=\"losangeles-0ac72af5\",node=\"losangeles\",policy=\"k3s-etcd\",reason=\"TemporaryIPv6Address\"} 1.0");
    try (var left = Files.walk(work)) {
      assertThat(left.filter(p -> p.toString().endsWith(".log")).toList()).as("etcd logs kept in --work-dir").isNotEmpty();
    }
  }

  /** The path a machine without root always takes, forced: it must keep working as root too. */
  @Test
  void replayedReportPredictsTheRecordedTemporaryAddress() throws Exception {
    StringWriter out = new StringWriter();

    String failure = new BeforeRebootAct(new Narrator(new PrintWriter(out)), new PrintWriter(out)).run(dir, true);

    assertThat(failure).isNull();
    String text = out.toString();
    Path judged = dir.resolve(BeforeRebootAct.REPORT_FILE);
    assertThat(judged).hasSameBinaryContentAs(recordedReport());
    String temporary = temporaryAddressOf(judged);
    assertThat(temporary).startsWith(TestNetworkNamespace.IPV6_PREFIX);
    assertThat(text).contains("--replay-host-report: " + BeforeRebootAct.REPLAYING)
        .contains("Restart safe: False")
        .contains("this server is a not a member of the etcd cluster. Found [k3s-1-b2495bc5=https://192.168.1.31:2380"
            + " losangeles-0ac72af5=https://192.168.1.30:2380 k3s-2-5a3e0192=https://192.168.1.32:2380], expect:"
            + " losangeles-0ac72af5=https://[" + temporary + "]:2380")
        .contains("eth0 " + temporary + "/64  temporary;")
        .contains("node-ip: 192.168.1.30", "ipv4.may-fail no", "use_tempaddr=0")
        .doesNotContain("ip netns exec");
  }

  @Test
  void replayOptionIsDocumentedAndParsed() {
    CommandLine cli = DemoCommand.commandLine();
    assertThat(cli.getUsageMessage()).contains("--replay-host-report");
    cli.parseArgs("--replay-host-report");
    assertThat(((DemoCommand) cli.getCommand()).replayHostReport).isTrue();
    assertThat(((DemoCommand) DemoCommand.commandLine().parseArgs().commandSpec().userObject()).replayHostReport).isFalse();
  }

  /** The address the report flags temporary on eth0, which is also its boot-race prediction. */
  private static String temporaryAddressOf(Path reportFile) throws Exception {
    NodeHostReport report = InputFiles.readReports(reportFile).get(0);
    List<HostAddress> temporary = report.addresses().stream()
        .filter(a -> a.interfaceName().equals(BeforeRebootAct.HOST_DEVICE) && a.flags().temporary()).toList();
    assertThat(temporary).as("temporary addresses in %s", reportFile).hasSize(1);
    assertThat(report.predictions().bootRace().address()).isEqualTo(temporary.get(0).text());
    return temporary.get(0).text();
  }

  private Path recordedReport() throws Exception {
    Path copy = dir.resolve("recorded.json");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(BeforeRebootAct.RECORDED_REPORT_RESOURCE)) {
      assertThat(in).as(BeforeRebootAct.RECORDED_REPORT_RESOURCE).isNotNull();
      Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
  }

  private static String networkNamespaces() throws Exception {
    Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(list.getInputStream().readAllBytes());
  }
}
