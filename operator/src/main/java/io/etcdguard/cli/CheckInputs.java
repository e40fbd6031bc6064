package io.etcdguard.cli;

import io.etcdguard.api.v1alpha1.Durations;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicySpec;
import io.etcdguard.audit.InputException;
import io.etcdguard.audit.InputFiles;
import io.etcdguard.k8s.ClusterNodes;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.check.HostnameResolver;
import io.etcdguard.check.Checker;
import io.etcdguard.check.CheckResult;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.k8s.LabelSelectors;
import io.etcdguard.policy.PolicyInvalidException;
import io.etcdguard.policy.PolicyValidator;
import io.etcdguard.policy.PolicyValidator.EtcdSettings;
import io.etcdguard.policy.PolicyValidator.MissingSelector;
import io.etcdguard.policy.ValidatedPolicy;
import io.etcdguard.classify.HostReports;
import io.etcdguard.host.NodeHostReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The inputs `audit` and `plan` share: members (file or live etcd), Nodes (file, kubeconfig or in-cluster), policy, DNS bound. */
final class CheckInputs {
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
      description = "A NodeAddressPolicy YAML. Default: addressFamily Any, no CIDRs; the nodeSelector applies only when the policy sets one (with --kubeconfig or in-cluster the default node-role.kubernetes.io/etcd=true applies). With --members its etcd section is not used and not checked.")
  Path policyFile;

  @Option(names = "--reports", paramLabel = "FILE",
      description = "Node agents' reports (repeatable): the output of `agent --once -o json`, or `kubectl get nodeaddressreports -o json`."
          + " They confirm temporary addresses and predict restart failures; a report older than 3 heartbeats (15m) is ignored.")
  List<Path> reportFiles = new ArrayList<>();

  @Option(names = "--dns-timeout", paramLabel = "DURATION", defaultValue = DEFAULT_DNS_TIMEOUT,
      description = "Bound on resolving peer URL hostnames. Default: ${DEFAULT-VALUE}.")
  String dnsTimeout;

  /** {@link io.etcdguard.policy.Defaults#DNS_TIMEOUT}, as picocli needs a constant; a test checks they agree. */
  static final String DEFAULT_DNS_TIMEOUT = "2s";

  /** A check and what it looked at. */
  record Checked(CheckResult result, ValidatedPolicy policy, int allNodes, int selectedNodes, HostReports reports) {}

  Checked check() throws InputException {
    boolean nodesFromFile = nodes != null && nodes.file != null;
    ValidatedPolicy policy = loadPolicy(nodesFromFile ? MissingSelector.ALL_NODES : MissingSelector.DEFAULT,
        members.file != null ? EtcdSettings.UNUSED : EtcdSettings.OPTIONAL);
    LiveEtcdOptions.Observed live = members.file != null ? null : members.live.observe();
    MemberListing listing = live == null ? InputFiles.readMembers(members.file) : live.listing();
    MembershipHealth health = live == null ? MembershipHealth.unknown() : live.health();
    // File input becomes NodeInfo directly: the file path never builds (or loads) fabric8 Node objects.
    List<NodeInfo> allNodes = nodesFromFile ? InputFiles.readNodes(nodes.file)
        : ClusterNodes.list(nodes == null ? null : nodes.kubeconfig);
    List<NodeInfo> selected = allNodes.stream()
        .filter(n -> LabelSelectors.matches(policy.nodeSelector(), n.labels())).toList();
    Map<String, NodeHostReport> byNode = new HashMap<>();
    for (Path file : reportFiles) {
      for (NodeHostReport report : InputFiles.readReports(file)) {
        byNode.merge(report.nodeName(), report, (a, b) -> a.observedAt().isAfter(b.observedAt()) ? a : b);
      }
    }
    HostReports reports = HostReports.of(byNode, Instant.now());
    try (HostnameResolver resolver = new HostnameResolver(Durations.parse("--dns-timeout", dnsTimeout))) {
      return new Checked(new Checker(resolver).check(listing, selected, policy.rules(), health, reports), policy, allNodes.size(),
          selected.size(), reports);
    }
  }

  private ValidatedPolicy loadPolicy(MissingSelector missingSelector, EtcdSettings etcdSettings) throws InputException {
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
      return PolicyValidator.validate(policySpec, etcdSettings, missingSelector);
    } catch (PolicyInvalidException e) {
      throw new InputException(source + ": " + e.getMessage());
    }
  }
}
