package io.etcdguard.cli;

import io.etcdguard.audit.AuditReport;
import io.etcdguard.audit.InputException;
import io.etcdguard.audit.TableFormatter;
import io.etcdguard.check.CheckResult;
import io.etcdguard.k8s.LabelSelectors;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
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
  /** Databind is loaded only for `-o json`: the table path and the file readers stream. */
  static final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  }

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  CheckInputs inputs;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (for people) or json (one object on stdout). Default: ${DEFAULT-VALUE}.")
  OutputFormat output;

  enum OutputFormat {
    table,
    json
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      CheckInputs.Checked checked = inputs.check();
      CheckResult result = checked.result();
      AuditReport report = AuditReport.of(result);
      if (output == OutputFormat.json) {
        out.println(Json.MAPPER.writeValueAsString(report));
      } else {
        out.print(TableFormatter.format(report));
        if (checked.selectedNodes() == 0) {
          err.println("warning: no Node matched the node selector " + LabelSelectors.describe(checked.policy().nodeSelector())
              + " (of " + checked.allNodes() + " Nodes)");
        }
      }
      out.flush();
      return report.compliant() ? Main.EXIT_OK : Main.EXIT_VIOLATIONS;
    } catch (InputException e) {
      err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE_OR_INPUT;
    }
  }

}
