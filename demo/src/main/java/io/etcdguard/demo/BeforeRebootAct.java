package io.etcdguard.demo;

import io.etcdguard.audit.AuditReport;
import io.etcdguard.audit.InputException;
import io.etcdguard.audit.InputFiles;
import io.etcdguard.audit.TableFormatter;
import io.etcdguard.check.CheckResult;
import io.etcdguard.check.Checker;
import io.etcdguard.check.HostnameResolver;
import io.etcdguard.classify.HostReports;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.classify.Risk;
import io.etcdguard.classify.RiskFinding;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.host.AddressFlags;
import io.etcdguard.host.AddressPrediction;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.NodeHostReport;
import io.etcdguard.policy.Defaults;
import io.etcdguard.testkit.TestNetworkNamespace;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo's first act: the incident's cluster the day <em>before</em> the reboot. Every member is registered on
 * its IPv4 address and the member list audits clean; losangeles' K3s records no {@code --node-ip}; its host has
 * temporary IPv6 addresses. The node agent reads a real kernel (a network namespace set up as losangeles' host,
 * when root; else a report it recorded that way) and the same engine as {@code audit --reports} predicts the
 * restart failure and its exact K3s line.
 */
public final class BeforeRebootAct {
  static final String NODE = "losangeles";
  static final String MEMBER = "losangeles-0ac72af5";
  /** losangeles' host as the incident had it: eth0 with 192.168.1.30/24, IPv6 in fd00:c0ff:ee::/64. */
  static final String HOST_DEVICE = "eth0";
  static final String HOST_IPV4 = "192.168.1.30/24";
  static final String HOST_IPV4_GATEWAY = "192.168.1.1";
  /** Classpath resources, copied at build time from docs/examples (see demo/pom.xml). */
  static final String MEMBERS_RESOURCE = "examples/seed-members-registered.json";
  static final String NODES_RESOURCE = "examples/seed-nodes.json";
  static final String RECORDED_REPORT_RESOURCE = "examples/agent-report-losangeles.json";
  /** Where the act writes the report it judged (the agent's output, or the recorded one), under the work directory. */
  static final String REPORT_FILE = "host-report-losangeles.json";
  static final String REPLAYING = "replaying a report recorded by `agent --once -o json` in a network namespace";

  private final Narrator story;
  private final PrintWriter out;

  public BeforeRebootAct(Narrator story, PrintWriter out) {
    this.story = story;
    this.out = out;
  }

  /**
   * Runs the act in {@code dir} (created if needed; the input files and the judged report are written there).
   *
   * @param replay replay the recorded report even when a network namespace could be made
   * @return null on success, else what went wrong
   */
  public String run(Path dir, boolean replay) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path membersFile = copyResource(MEMBERS_RESOURCE, dir.resolve("members.json"));
    Path nodesFile = copyResource(NODES_RESOURCE, dir.resolve("nodes.json"));
    MemberListing members;
    List<NodeInfo> nodes;
    try {
      members = InputFiles.readMembers(membersFile);
      nodes = InputFiles.readNodes(nodesFile);
    } catch (InputException e) {
      return "the incident's files do not read: " + e.getMessage();
    }

    Optional<NodeInfo> losangelesNode = nodes.stream().filter(n -> n.name().equals(NODE)).findFirst();
    if (losangelesNode.isEmpty() || !losangelesNode.get().nodeArgs().present() || losangelesNode.get().nodeArgs().nodeIpPinned()) {
      return nodesFile + ": node " + NODE + " should carry a node-args annotation without --node-ip";
    }
    story.act("Before the reboot: the incident's cluster the day before (docs/examples/seed-*.json)");
    story.say("   Every member is registered on its IPv4 address, as `etcdctl member list` showed it. The %s annotation",
        losangelesNode.get().nodeArgs().annotation());
    story.say("   of Node %s records no --node-ip: K3s re-detects the node address at every start.", NODE);
    story.say("   $ etcd-address-guard audit --members members.json --nodes nodes.json");
    CheckResult memberListOnly = check(members, nodes, HostReports.NONE);
    if (!memberListOnly.compliant()) {
      return "the incident's registered member list should comply";
    }
    story.say("   The member list looks clean: all members comply. From the API alone, unpinned node addresses are all");
    story.say("   that can be said; whether a restart would fail depends on the host.");

    Path reportFile = dir.resolve(REPORT_FILE);
    String unavailable = TestNetworkNamespace.unavailableReason();
    boolean live = !replay && unavailable == null;
    story.act("The node agent reads losangeles' host: a real kernel with temporary IPv6 addresses");
    if (live) {
      String failure = readLiveHost(reportFile);
      if (failure != null) {
        return failure;
      }
    } else {
      story.say("   %s: %s", replay ? "--replay-host-report" : TestNetworkNamespace.isRoot() ? unavailable : "not root", REPLAYING);
      story.say("   (docs/examples/agent-report-losangeles.json, judged as of the moment it was read; `./demo.sh --work-dir DIR`");
      story.say("   as root writes a new one to DIR/before-reboot/%s).", REPORT_FILE);
      copyResource(RECORDED_REPORT_RESOURCE, reportFile);
    }
    NodeHostReport report;
    try {
      List<NodeHostReport> reports = InputFiles.readReports(reportFile);
      Optional<NodeHostReport> losangeles = reports.stream().filter(r -> r.nodeName().equals(NODE)).findFirst();
      if (losangeles.isEmpty()) {
        return reportFile + ": no report for node " + NODE;
      }
      report = losangeles.get();
    } catch (InputException e) {
      return "the agent's report does not read: " + e.getMessage();
    }
    showReport(report);

    // A replayed report is judged as of the moment it was read: the engine ignores reports older than 3 heartbeats.
    Instant now = live ? Instant.now() : report.observedAt();
    story.act("etcd-address-guard with the agent's report predicts the restart failure before it happens");
    story.say("   $ etcd-address-guard audit --members members.json --nodes nodes.json --reports %s", REPORT_FILE);
    CheckResult withReport = check(members, nodes, HostReports.of(Map.of(NODE, report), now));
    Optional<RiskFinding> restartRisk = withReport.nodesAtRisk().stream().filter(p -> p.nodeName().equals(NODE))
        .flatMap(p -> p.risks().stream()).filter(r -> r.risk() == Risk.RestartRisk).findFirst();
    if (restartRisk.isEmpty()) {
      return "no RestartRisk predicted for node " + NODE + " from its agent's report";
    }
    String message = restartRisk.get().message();
    String quoted = message.contains("would log: \"") ? message.substring(message.indexOf("would log: \"") + 12, message.length() - 1) : message;
    boolean evenNow = restartRisk.get().predictedAddress().equals(report.predictions().now().address());
    story.say("   In short: node %s does not survive %s. K3s would print", NODE,
        evenNow ? "its next restart" : "a restart that comes before DHCPv4 is done");
    story.say("     %s", quoted);
    story.say("   The fix, best first (nothing has been run):");
    List<String> steps = restartRisk.get().fixSteps();
    for (int i = 0; i < steps.size(); i++) {
      story.say("     %d. %s", i + 1, steps.get(i));
    }
    return null;
  }

  /** Makes losangeles' host in a network namespace and runs the real agent in it; the namespace is always deleted. */
  private String readLiveHost(Path reportFile) throws IOException, InterruptedException {
    try (TestNetworkNamespace host = TestNetworkNamespace.create(HOST_DEVICE, HOST_IPV4, HOST_IPV4_GATEWAY)) {
      story.say("   As root: network namespace %s stands in for losangeles' host: %s with %s (default route via %s),",
          host.name(), HOST_DEVICE, HOST_IPV4, HOST_IPV4_GATEWAY);
      story.say("   SLAAC-style %s/64 mngtmpaddr, use_tempaddr=2 (the kernel made a temporary address), IPv6 default route.",
          TestNetworkNamespace.STABLE_IPV6);
      story.say("   $ ip netns exec %s java -cp <demo classpath> io.etcdguard.cli.Main agent --once -o json --node-name %s",
          host.name(), NODE);
      TestNetworkNamespace.Result agent = host.execJava(absoluteClassPath(), "io.etcdguard.cli.Main",
          "agent", "--once", "-o", "json", "--node-name", NODE);
      if (agent.exitCode() != 0) {
        return "agent --once in network namespace " + host.name() + " exited " + agent.exitCode() + ": " + agent.stderr().strip();
      }
      Files.writeString(reportFile, agent.stdout(), StandardCharsets.UTF_8);
      return null;
    }
  }

  /** The lines of the report that matter: the global addresses of eth0 with flags and lifetimes, and both predictions. */
  private void showReport(NodeHostReport report) {
    story.say("   Report of node %s, read at %s over %s:", report.nodeName(), seconds(report.observedAt()),
        report.source().name().toLowerCase(Locale.ROOT));
    List<HostAddress> global = report.addresses().stream()
        .filter(a -> a.interfaceName().equals(HOST_DEVICE) && a.scope() == HostAddress.RT_SCOPE_UNIVERSE).toList();
    int width = global.stream().mapToInt(a -> (a.text() + "/" + a.prefixLength()).length()).max().orElse(0);
    for (HostAddress a : global) {
      story.say("     %s %-" + width + "s  %s; valid %s, preferred %s", a.interfaceName(), a.text() + "/" + a.prefixLength(),
          flagsText(a.flags()), lifetimeText(a.validLifetime().toString(), report.validUntil(a)),
          lifetimeText(a.preferredLifetime().toString(), report.preferredUntil(a)));
    }
    report.useTempaddr(HOST_DEVICE).ifPresent(u -> story.say("     %s use_tempaddr=%d", HOST_DEVICE, u));
    prediction("a start now", report.predictions().now());
    prediction("at boot, IPv4 not up yet", report.predictions().bootRace());
  }

  private void prediction(String when, AddressPrediction p) {
    story.say("     K3s' own rule, %s: %s", when, p.found() ? p.address() + " (" + p.why() + ")" : "none (" + p.why() + ")");
  }

  private static String lifetimeText(String lifetime, Optional<Instant> until) {
    return lifetime + until.map(u -> " (until " + seconds(u) + ")").orElse("");
  }

  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }

  private static String flagsText(AddressFlags flags) {
    List<String> names = new ArrayList<>();
    if (flags.temporary()) {
      names.add("temporary");
    }
    if (flags.permanent()) {
      names.add("permanent");
    }
    if (flags.mngtmpaddr()) {
      names.add("mngtmpaddr");
    }
    if (flags.noprefixroute()) {
      names.add("noprefixroute");
    }
    if (flags.stablePrivacy()) {
      names.add("stable-privacy");
    }
    if (flags.deprecated()) {
      names.add("deprecated");
    }
    if (flags.tentative()) {
      names.add("tentative");
    }
    if (flags.dadfailed()) {
      names.add("dadfailed");
    }
    return names.isEmpty() ? "dynamic" : String.join(" ", names);
  }

  /** The engine `audit` runs: Checker (classification, advice, posture), printed as the audit table. */
  private CheckResult check(MemberListing members, List<NodeInfo> nodes, HostReports reports) {
    try (HostnameResolver resolver = new HostnameResolver(Defaults.DNS_TIMEOUT)) {
      CheckResult result = new Checker(resolver).check(members, nodes, PolicyRules.defaults(), MembershipHealth.unknown(), reports);
      for (String line : TableFormatter.format(AuditReport.of(result)).split("\n", -1)) {
        out.println("   " + line);
      }
      out.flush();
      return result;
    }
  }

  /** This JVM's class path with absolute entries (a wildcard entry such as demo/target/lib/* stays a wildcard). */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty())
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static Path copyResource(String resource, Path target) throws IOException {
    try (InputStream in = BeforeRebootAct.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("classpath resource " + resource + " is missing (the demo jar is built with docs/examples in it)");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
