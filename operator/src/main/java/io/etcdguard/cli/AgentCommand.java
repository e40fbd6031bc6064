package io.etcdguard.cli;

import io.etcdguard.api.v1alpha1.Durations;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.host.AddressPrediction;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.HostReader;
import io.etcdguard.host.HostSnapshot;
import io.etcdguard.host.NodeAddressReports;
import io.etcdguard.host.NodeIpPredictions;
import io.etcdguard.host.NodeIpPredictor;
import io.etcdguard.host.ReportApi;
import io.etcdguard.host.ReportPublisher;
import io.etcdguard.host.UnreadableFact;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The node agent: reads the host (addresses with kernel flags and lifetimes, default routes, privacy sysctls),
 * predicts the address an auto-detecting K3s/RKE2 start picks, and publishes it as this Node's
 * NodeAddressReport; or, with --once, prints the report and exits without any API server.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Node agent: reads this host's addresses (kernel flags, lifetimes), default routes and IPv6 privacy sysctls, "
            + "predicts the node address an auto-detecting K3s/RKE2 start would pick (now, and before IPv4 is up), "
            + "and publishes it as the Node's NodeAddressReport. Read-only; needs no privilege.",
        "Exit status: 0 ok, 2 bad usage or (without --once) no API server."},
    footer = {"", "Examples:",
        "  etcd-address-guard agent --once                 # a table, for a person on the node",
        "  etcd-address-guard agent --once -o json         # the NodeAddressReport the agent would publish",
        "  etcd-address-guard agent --node-name losangeles # publish and keep it current (DaemonSet)"})
public final class AgentCommand implements Callable<Integer> {
  /** fabric8's retries of one failed API request, within one publishing attempt (see {@link #config()}). */
  static final int REQUEST_RETRIES = 3;

  /**
   * Jackson databind, for --once -o json|yaml only: a holder class, so that the publishing agent does not load
   * databind's 480 classes (it writes its report with {@link io.etcdguard.host.ReportJson}; docs/performance.md).
   */
  static final class OnceOutput {
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    static final YAMLMapper YAML = YAMLMapper.builder().build();

    private OnceOutput() {
    }
  }

  enum OutputFormat { table, json, yaml }

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--once", description = "Read the host once, print the report to stdout and exit; no API server is contacted.")
  boolean once;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "With --once: table, json or yaml (the NodeAddressReport object). Default: ${DEFAULT-VALUE}.")
  OutputFormat output;

  @Option(names = "--node-name", paramLabel = "NAME",
      description = "The Node this host is (the report's name). Default: the NODE_NAME environment variable (downward API), else the host name.")
  String nodeName;

  @Option(names = "--read-interval", paramLabel = "DURATION", defaultValue = "30s",
      description = "How often the host is read (Go duration). Default: ${DEFAULT-VALUE}.")
  String readInterval;

  @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "5m",
      description = "The report is rewritten at least this often even when nothing changed, so that its spec.observedAt shows the agent is alive. Default: ${DEFAULT-VALUE}.")
  String heartbeat;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Publish to the cluster this kubeconfig names. Default: in-cluster service account (or KUBECONFIG).")
  Path kubeconfig;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String node = resolveNodeName();
    if (once) {
      HostSnapshot host = HostReader.live().read();
      NodeIpPredictions predictions = NodeIpPredictor.predict(host);
      NodeAddressReport report = NodeAddressReports.toReport(node, host, predictions);
      switch (output) {
        case json -> out.println(OnceOutput.JSON.writeValueAsString(report));
        case yaml -> out.print(OnceOutput.YAML.writeValueAsString(report));
        case table -> printTable(out, node, host, predictions);
      }
      out.flush();
      return Main.EXIT_OK;
    }
    Duration interval = Durations.parse("--read-interval", readInterval);
    Duration heartbeatEvery = Durations.parse("--heartbeat", heartbeat);
    if (interval.isZero() || heartbeatEvery.compareTo(interval) < 0) {
      throw new IllegalArgumentException("--read-interval must be positive and --heartbeat at least as long (got "
          + readInterval + " and " + heartbeat + ")");
    }
    try (ReportApi api = ReportApi.of(config())) {
      return runForever(api, node, interval, heartbeatEvery, spec.commandLine().getErr());
    }
  }

  /** Reads and publishes every interval until the thread is interrupted (or the JVM is stopped). */
  private int runForever(ReportApi api, String node, Duration interval, Duration heartbeatEvery, PrintWriter err) {
    ReportPublisher publisher = new ReportPublisher(api, Clock.systemUTC(), heartbeatEvery);
    HostReader reader = HostReader.live();
    err.println("agent: publishing NodeAddressReport " + node + " every " + readInterval + " on change, heartbeat " + heartbeat);
    err.flush();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        HostSnapshot host = reader.read();
        NodeIpPredictions predictions = NodeIpPredictor.predict(host);
        ReportPublisher.Outcome outcome = publisher.publish(NodeAddressReports.toReport(node, host, predictions));
        if (outcome == ReportPublisher.Outcome.CREATED || outcome == ReportPublisher.Outcome.PATCHED_CHANGED) {
          err.println("agent: " + outcome + ": now " + text(predictions.now()) + ", boot race " + text(predictions.bootRace()));
          err.flush();
        }
      } catch (KubernetesClientException e) {
        if (Thread.currentThread().isInterrupted()) {
          break; // stopped while a request was under way
        }
        // The API server may be restarting; the next read tries again.
        err.println("agent: cannot publish NodeAddressReport " + node + ": " + e.getMessage());
        err.flush();
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
      }
    }
    err.println("agent: stopped");
    err.flush();
    return Main.EXIT_OK;
  }

  private Config config() throws IOException {
    Config config = kubeconfig == null ? Config.autoConfigure(null)
        : Config.fromKubeconfig(Files.readString(kubeconfig, StandardCharsets.UTF_8));
    config.setRequestTimeout(10_000);
    config.setConnectionTimeout(5_000);
    // fabric8 retries a failed request 10 times by default, 0.1 s doubling: a refused connection then outlasts the
    // request timeout, and the log said "no answer within 10000 ms" instead of why. Three retries (0.7 s in all)
    // ride out a blip; the agent tries again at its next read anyway.
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    return config;
  }

  private String resolveNodeName() {
    if (nodeName != null && !nodeName.isBlank()) {
      return nodeName;
    }
    String fromEnv = System.getenv("NODE_NAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      // The kernel's host name, without a DNS lookup.
      return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException unknown) {
        throw new IllegalArgumentException("no node name: give --node-name or set NODE_NAME");
      }
    }
  }

  private static String text(AddressPrediction prediction) {
    return prediction.found() ? prediction.address() + " (" + prediction.interfaceName() + ")" : "none";
  }

  private static void printTable(PrintWriter out, String node, HostSnapshot host, NodeIpPredictions predictions) {
    out.printf("Node %s, read %s from %s%n%n", node, host.readAt(), host.source() == HostSnapshot.Source.NETLINK
        ? "rtnetlink (kernel order)" : "/proc (order and lifetimes unknown)");
    out.printf("%-12s %-42s %-6s %-5s %-9s %-7s %-7s %s%n", "INTERFACE", "ADDRESS", "SCOPE", "TEMP", "VALID", "PREF", "USE_TMP", "FLAGS");
    for (HostAddress address : host.addresses()) {
      Integer useTempaddr = host.sysctlsOf(address.interfaceName()).map(s -> s.useTempaddr()).orElse(null);
      out.printf("%-12s %-42s %-6s %-5s %-9s %-7s %-7s %s%n", address.interfaceName(), address.text() + "/" + address.prefixLength(),
          address.scopeName(), address.flags().temporary() ? "yes" : "no", address.validLifetime(), address.preferredLifetime(),
          address.isIpv6() && useTempaddr != null ? useTempaddr : "-", flagText(address));
    }
    out.println();
    host.defaultRoutes().forEach(route -> out.printf("default route %s via %s dev %s metric %d%n", route.family().display(),
        route.gateway() == null ? "(on-link)" : route.gatewayText(), route.interfaceName(), route.metric()));
    out.println();
    out.printf("Auto-detected node address now:       %s [%s]%n  %s%n", text(predictions.now()), predictions.now().certainty(), predictions.now().why());
    out.printf("Auto-detected node address boot race: %s [%s]%n  %s%n", text(predictions.bootRace()), predictions.bootRace().certainty(), predictions.bootRace().why());
    for (UnreadableFact fact : host.unreadable()) {
      out.printf("unreadable: %s: %s%n", fact.fact(), fact.reason());
    }
  }

  private static String flagText(HostAddress address) {
    StringBuilder flags = new StringBuilder();
    var f = address.flags();
    if (f.permanent()) flags.append("permanent ");
    if (f.temporary()) flags.append("temporary ");
    if (f.mngtmpaddr()) flags.append("mngtmpaddr ");
    if (f.stablePrivacy()) flags.append("stable-privacy ");
    if (f.noprefixroute()) flags.append("noprefixroute ");
    if (f.deprecated()) flags.append("deprecated ");
    if (f.tentative()) flags.append("tentative ");
    if (f.dadfailed()) flags.append("dadfailed ");
    if (f.optimistic()) flags.append("optimistic ");
    return flags.toString().trim();
  }
}
