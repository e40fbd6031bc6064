package io.etcdguard.demo;

import io.etcdguard.audit.AuditReport;
import io.etcdguard.audit.TableFormatter;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.classify.Reason;
import io.etcdguard.check.HostnameResolver;
import io.etcdguard.check.Checker;
import io.etcdguard.check.CheckResult;
import io.etcdguard.etcd.EtcdClientConfig;
import io.etcdguard.etcd.JetcdMemberSource;
import io.etcdguard.cli.PlanCommand;
import io.etcdguard.policy.Defaults;
import io.etcdguard.testkit.Fixtures;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.LocalEtcdCluster.MemberInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * First predicts the seed incident's restart failure the day before the reboot ({@link BeforeRebootAct}), then
 * reproduces the incident on a real etcd on loopback and detects it: 127.0.0.30-32 stand in for the seed's
 * 192.168.1.30-32, and losangeles' peer URL is moved to the seed's temporary IPv6 address.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Reproduces the incident on a real etcd on this machine and detects it (no cluster needed).",
        "First the day before the reboot: the incident's member list audits clean, then the node agent reads losangeles'"
            + " host (as root: a network namespace where the kernel makes a real temporary IPv6 address; otherwise a"
            + " recorded report) and the restart failure is predicted with the exact line K3s would print, and the fix.",
        "Then it starts a real 3-member etcd on 127.0.0.30-32 named like the seed's K3s servers, registers losangeles"
            + " with a temporary IPv6 peer URL, detects it, shows the fix, restores the member and shows it compliant;"
            + " then runs the operator against an in-process API server and the same etcd.",
        "Needs etcd (apt-get install etcd-server etcd-client); root and iproute2 for the network namespace.",
        "Exit status: 0 when the restart failure was predicted, the incident was detected and the restore came back compliant."})
public final class DemoCommand implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final String TEMPORARY_IPV6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  /** The seed's servers: member name, node name, and the loopback address standing in for 192.168.1.x. */
  static final List<String[]> SEED = List.of(
      new String[] {"losangeles-0ac72af5", "losangeles", "127.0.0.30"},
      new String[] {"k3s-1-b2495bc5", "k3s-1", "127.0.0.31"},
      new String[] {"k3s-2-5a3e0192", "k3s-2", "127.0.0.32"});

  /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where etcd keeps its data (default: a new temporary directory, deleted afterwards).")
  Path workDir;

  @Option(names = "--replay-host-report",
      description = "Replay the node agent's recorded report (docs/examples/agent-report-losangeles.json) even as root,"
          + " instead of reading a network namespace. Without root the recorded report is always replayed.")
  boolean replayHostReport;

  private PrintWriter out;
  private Narrator story;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    story = new Narrator(out);
    // The demo's output is the story; library chatter (request logs of the in-process API server, the
    // operator's INFO lines) would bury it. Warnings still show.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    Path base = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("etcdguard-demo-");
    try {
      String beforeReboot = new BeforeRebootAct(story, out).run(base.resolve("before-reboot"), replayHostReport);
      return beforeReboot != null ? fail(beforeReboot) : incident(base);
    } finally {
      deleteUnlessKept(base);
      out.flush();
    }
  }

  /** The incident on a real etcd (reproduced, audited, fixed), then the operator act. */
  private int incident(Path base) throws Exception {
    List<NodeInfo> nodes = SEED.stream().map(s -> new NodeInfo(s[1], Map.of("node-role.kubernetes.io/etcd", "true"),
        Map.of("etcd.k3s.cattle.io/node-name", s[0], "etcd.k3s.cattle.io/node-address", s[2]), List.of(s[2]), List.of())).toList();

    story.act("A K3s-style etcd cluster: three real etcd 3.4 members on loopback");
    LocalEtcdCluster.Builder builder = LocalEtcdCluster.builder(base);
    SEED.forEach(s -> builder.member(s[0], s[2]));
    try (LocalEtcdCluster cluster = builder.start();
        JetcdMemberSource etcd = new JetcdMemberSource(EtcdClientConfig.of(cluster.clientEndpoints(),
            Duration.ofSeconds(5), Duration.ofSeconds(10), null));
        HostnameResolver resolver = new HostnameResolver(Defaults.DNS_TIMEOUT)) {
      Checker checker = new Checker(resolver);
      for (MemberInfo m : cluster.members()) {
        story.say("   %-22s peer %-26s client %s", m.name(), m.peerUrl(), m.clientUrl());
      }
      story.say("   Nodes (as kubectl shows them): " + nodes.stream().map(n -> n.name() + " InternalIP=" + n.internalIPs().get(0))
          .collect(Collectors.joining(", ")));
      CheckResult healthy = audit(checker, etcd, nodes);
      if (!healthy.compliant()) {
        return fail("the fresh cluster should comply");
      }

      MemberInfo losangeles = cluster.member("losangeles-0ac72af5");
      String temporaryPeerUrl = "http://[" + TEMPORARY_IPV6 + "]:" + losangeles.peerPort();
      story.act("The incident: losangeles joins while only its temporary IPv6 address is up");
      story.say("   systemd's network-online.target fired on the first address, a SLAAC temporary (privacy) IPv6;");
      story.say("   DHCPv4 was not done, so K3s registered the member with that address:");
      story.say("   $ etcdctl member update %s --peer-urls=%s", Long.toHexString(cluster.memberId(losangeles.name())), temporaryPeerUrl);
      cluster.updatePeerUrl(losangeles.name(), temporaryPeerUrl);
      story.say("   etcd still has quorum, and nothing looks wrong until the address expires (1-2 days).");
      story.say("   On the next restart K3s would refuse to start, as in the incident:");
      story.say("     this server is a not a member of the etcd cluster. Found [%s], expect: %s=%s",
          cluster.members().stream().filter(m -> m != losangeles).map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(" ")),
          losangeles.name(), temporaryPeerUrl);

      story.act("etcd-address-guard audits the live member list");
      CheckResult incident = audit(checker, etcd, nodes);
      boolean temporaryFound = incident.verdicts().stream().flatMap(v -> v.findings().stream())
          .anyMatch(f -> f.reason() == Reason.TemporaryIPv6Address && f.address().equals(TEMPORARY_IPV6));
      if (!temporaryFound) {
        return fail("the temporary IPv6 peer URL was not detected");
      }

      story.act("The fix etcd-address-guard computes (`etcd-address-guard plan`; here 127.0.0.30 stands for 192.168.1.30)");
      story.print(PlanCommand.render(incident).indent(3));
      story.say("   The demo runs the move (step: etcdctl member update) on the loopback cluster:");
      story.say("   $ etcdctl member update %s --peer-urls=%s", Long.toHexString(cluster.memberId(losangeles.name())), losangeles.peerUrl());
      cluster.updatePeerUrl(losangeles.name(), losangeles.peerUrl());

      story.act("After the fix");
      CheckResult fixed = audit(checker, etcd, nodes);
      if (!fixed.compliant()) {
        return fail("the restored cluster should comply");
      }
      String failure = new OperatorAct(story).run(cluster,
          SEED.stream().collect(Collectors.toMap(s -> s[0], s -> s[1])), TEMPORARY_IPV6);
      if (failure != null) {
        return fail(failure);
      }
      story.heading("Done: the restart failure was predicted before the reboot; the incident was reproduced on a real etcd,"
          + " detected, fixed and verified. Cleaning up.");
      return EXIT_OK;
    }
  }

  private void deleteUnlessKept(Path base) {
    if (workDir == null) {
      deleteQuietly(base);
    }
  }

  /** The demo program's entry point (demo.sh): not a subcommand of the product's CLI. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new DemoCommand());
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("demo failed: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return EXIT_FAILED;
    });
    return cli;
  }

  private CheckResult audit(Checker checker, JetcdMemberSource etcd, List<NodeInfo> nodes) throws Exception {
    CheckResult result = checker.check(etcd.listMembers(), nodes, PolicyRules.defaults());
    for (String line : TableFormatter.format(AuditReport.of(result)).split("\n", -1)) {
      out.println("   " + line);
    }
    return result;
  }

  private int fail(String what) {
    spec.commandLine().getErr().println("demo failed: " + what);
    return EXIT_FAILED;
  }

  private static void deleteQuietly(Path dir) {
    try {
      Fixtures.deleteRecursively(dir);
    } catch (RuntimeException ignored) {
      // a temporary directory: nothing to do if it is already gone
    }
  }
}
