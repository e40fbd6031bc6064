package io.etcdguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's first command: the demo reproduces the incident on a real etcd, finds it, and verifies the fix. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoDetectsTheSeedIncidentAndTheFix() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DemoCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    Path work = dir.resolve("work");

    int exit = cli.execute("--work-dir", work.toString());

    assertThat(exit).as(err.toString()).isEqualTo(0);
    String text = out.toString();
    assertThat(text).contains("losangeles-0ac72af5", "fd00:c0ff:ee:0:da69:8213:dd0b:aac3",
        "TemporaryIPv6Address?,AddressFamilyMismatch,NotNodeInternalIP", "Before=k3s.service", "use_tempaddr=0",
        "node-ip: 127.0.0.30",
        "All 3 members comply.", "Done: the incident was reproduced");
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
}
