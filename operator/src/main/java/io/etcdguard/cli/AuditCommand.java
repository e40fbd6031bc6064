package io.etcdguard.cli;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicySpec;
import io.etcdguard.audit.AuditReport;
import io.etcdguard.audit.InputException;
import io.etcdguard.audit.InputFiles;
import io.etcdguard.audit.TableFormatter;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.dns.HostnameResolver;
import io.etcdguard.engine.Checker;
import io.etcdguard.engine.Checker.CheckResult;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.nodes.LabelSelectors;
import io.etcdguard.nodes.NodeInfos;
import io.etcdguard.policy.PolicyInvalidException;
import io.etcdguard.policy.PolicyValidator;
import io.etcdguard.policy.PolicyValidator.EtcdSettings;
import io.etcdguard.policy.PolicyValidator.MissingSelector;
import io.etcdguard.policy.ValidatedPolicy;
import io.fabric8.kubernetes.api.model.Node;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Checks every etcd member's peer URLs against its Node and a NodeAddressPolicy, once.",
        "Exit status: 0 every member complies, 1 some member does not, 2 bad usage, unreadable input or unreachable etcd."},
    footer = {"", "Examples:",
        "  etcdctl member list -w json > members.json; kubectl get nodes -o json > nodes.json",
        "  etcd-address-guard audit --members members.json --nodes nodes.json",
        "  etcd-address-guard audit --endpoints https://127.0.0.1:2379 \\",
        "      --cacert /var/lib/rancher/k3s/server/tls/etcd/server-ca.crt \\",
        "      --cert /var/lib/rancher/k3s/server/tls/etcd/client.crt --key /var/lib/rancher/k3s/server/tls/etcd/client.key \\",
        "      --kubeconfig /etc/rancher/k3s/k3s.yaml -o json"})
public final class AuditCommand implements Callable<Integer> {
  static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Members (one of):%n")
  MembersInput members;

  static final class MembersInput {
    @Option(names = "--members", paramLabel = "FILE", description = "Output of `etcdctl member list -w json`.")
    Path file;

    @ArgGroup(exclusive = false)
    LiveEtcdOptions live;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Nodes (one of; default: in-cluster):%n")
  NodesInput nodes;

  static final class NodesInput {
    @Option(names = "--nodes", paramLabel = "FILE", description = "Output of `kubectl get nodes -o json` (or -o yaml).")
    Path file;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Read Nodes from the cluster this kubeconfig names.")
    Path kubeconfig;
  }

  @Option(names = "--policy", paramLabel = "FILE",
      description = "A NodeAddressPolicy YAML. Default: addressFamily Any, no CIDRs; the nodeSelector applies only when the policy sets one (with --kubeconfig or in-cluster the default node-role.kubernetes.io/etcd=true applies).")
  Path policyFile;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (for people) or json (one object on stdout). Default: ${DEFAULT-VALUE}.")
  OutputFormat output;

  @Option(names = "--dns-timeout", paramLabel = "DURATION", defaultValue = "2s",
      description = "Bound on resolving peer URL hostnames. Default: ${DEFAULT-VALUE}.")
  String dnsTimeout;

  enum OutputFormat {
    table,
    json
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      boolean nodesFromFile = nodes != null && nodes.file != null;
      ValidatedPolicy policy = loadPolicy(nodesFromFile ? MissingSelector.ALL_NODES : MissingSelector.DEFAULT);
      LiveEtcdOptions.Observed live = members.file != null ? null : members.live.observe();
      MemberListing listing = live == null ? InputFiles.readMembers(members.file) : live.listing();
      MembershipHealth health = live == null ? MembershipHealth.unknown() : live.health();
      List<Node> allNodes = nodesFromFile ? InputFiles.readNodes(nodes.file)
          : ClusterNodes.list(nodes == null ? null : nodes.kubeconfig);
      List<NodeInfo> selected = allNodes.stream().map(NodeInfos::from)
          .filter(n -> LabelSelectors.matches(policy.nodeSelector(), n.labels())).toList();

      CheckResult result;
      try (HostnameResolver resolver = new HostnameResolver(
          io.etcdguard.api.v1alpha1.Durations.parse("--dns-timeout", dnsTimeout))) {
        result = new Checker(resolver).check(listing, selected, policy.rules(), health);
      }
      AuditReport report = AuditReport.of(result);
      if (output == OutputFormat.json) {
        out.println(JSON.writeValueAsString(report));
      } else {
        out.print(TableFormatter.format(report));
        if (selected.isEmpty()) {
          err.println("warning: no Node matched the node selector " + LabelSelectors.describe(policy.nodeSelector())
              + " (of " + allNodes.size() + " Nodes)");
        }
      }
      out.flush();
      return report.summary().isCompliant() ? Main.EXIT_OK : Main.EXIT_VIOLATIONS;
    } catch (InputException e) {
      err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE_OR_INPUT;
    }
  }

  private ValidatedPolicy loadPolicy(MissingSelector missingSelector) throws InputException {
    NodeAddressPolicySpec policySpec = new NodeAddressPolicySpec();
    String source = "default policy";
    if (policyFile != null) {
      NodeAddressPolicy policy = InputFiles.readPolicy(policyFile);
      if (policy.getSpec() == null) {
        throw new InputException(policyFile + ": spec: required");
      }
      policySpec = policy.getSpec();
      source = policyFile.toString();
    }
    try {
      return PolicyValidator.validate(policySpec, EtcdSettings.OPTIONAL, missingSelector);
    } catch (PolicyInvalidException e) {
      throw new InputException(source + ": " + e.getMessage());
    }
  }

  /** Timeout bounds for live etcd access, shared with the operator's defaults. */
  static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
}
