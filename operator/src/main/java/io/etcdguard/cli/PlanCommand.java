package io.etcdguard.cli;

import io.etcdguard.advice.Fix;
import io.etcdguard.audit.InputException;
import io.etcdguard.classify.Finding;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.classify.NodePosture;
import io.etcdguard.classify.Risk;
import io.etcdguard.classify.RiskFinding;
import io.etcdguard.check.CheckResult;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Prints the remediation runbook for every non-compliant etcd member, and for every etcd Node whose next restart is"
            + " at risk (with --reports or the node-args annotations): numbered steps with the exact commands and config snippets"
            + " for its distribution, and the preconditions checked. Writes nothing, changes nothing.",
        "Exit status: 0 nothing to do, 1 a plan was printed (a member violates the policy or a Node is at risk), 2 bad usage, unreadable input or unreachable etcd."},
    footer = {"", "Examples:",
        "  etcd-address-guard plan --members members.json --nodes nodes.json",
        "  etcd-address-guard plan --endpoints https://127.0.0.1:2379 --cacert ... --cert ... --key ... --kubeconfig ~/.kube/config"})
public final class PlanCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  CheckInputs inputs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      CheckInputs.Checked checked = inputs.check();
      String plan = render(checked.result());
      out.print(plan);
      out.flush();
      return nothingToDo(checked.result()) ? Main.EXIT_OK : Main.EXIT_VIOLATIONS;
    } catch (InputException e) {
      err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE_OR_INPUT;
    }
  }

  /** No member violates the policy and no etcd Node is at risk of a failed restart. */
  static boolean nothingToDo(CheckResult result) {
    return result.violations() == 0 && result.nodesAtRisk().isEmpty();
  }

  /**
   * The runbook as text: one section per non-compliant member, then one per etcd Node whose next restart is at
   * risk (the agent's prediction, the node-args annotation); steps numbered.
   */
  public static String render(CheckResult result) {
    StringBuilder text = new StringBuilder();
    List<MemberVerdict> todo = result.verdicts().stream().filter(v -> !v.compliant()).toList();
    // Most urgent first (a predicted restart failure before an unpinned address); the check's Node order otherwise.
    List<NodePosture> atRisk = result.nodesAtRisk().stream()
        .sorted(Comparator.comparing((NodePosture p) -> p.primary().orElseThrow().risk(), Risk.MOST_URGENT_FIRST)).toList();
    if (todo.isEmpty() && atRisk.isEmpty()) {
      return "Nothing to do: all " + result.verdicts().size() + " members comply.\n";
    }
    if (todo.isEmpty()) {
      text.append("All ").append(result.verdicts().size()).append(" members comply today; ").append(atRisk.size())
          .append(atRisk.size() == 1 ? " etcd Node is" : " etcd Nodes are").append(" at risk at the next restart. Nothing below has been run.\n");
    } else {
      text.append("Remediation plan for ").append(todo.size()).append(" of ").append(result.verdicts().size())
          .append(" etcd members. Fix one member at a time; nothing below has been run.\n");
    }
    int n = 0;
    for (MemberVerdict v : todo) {
      Fix fix = result.fixFor(v);
      text.append('\n').append("== ").append(++n).append(". member ").append(v.memberLabel()).append(" (").append(v.member().idHex())
          .append(")").append(v.nodeName() == null ? "" : " on node " + v.nodeName()).append(": ").append(v.primaryReason()).append('\n');
      text.append("Diagnosis: ").append(v.primary().map(Finding::message).orElse("")).append('\n');
      List<String> evidence = v.findings().stream().skip(1).map(f -> f.reason() + " (" + f.address() + ")").toList();
      if (!evidence.isEmpty()) {
        text.append("Evidence: ").append(String.join(", ", evidence)).append('\n');
      }
      text.append("Fix: ").append(fix.text()).append('\n');
      text.append("Preconditions checked:\n");
      fix.preconditions().forEach(p -> text.append("  - ").append(p).append('\n'));
      appendSteps(text, fix.steps());
    }
    for (NodePosture posture : atRisk) {
      RiskFinding primary = posture.primary().orElseThrow();
      text.append('\n').append("== ").append(++n).append(". node ").append(posture.nodeName()).append(" (member ")
          .append(posture.memberName()).append("): ").append(primary.risk()).append('\n');
      text.append("Diagnosis: ").append(primary.message()).append('\n');
      List<String> evidence = posture.risks().stream().skip(1).map(r -> r.risk().name()).toList();
      if (!evidence.isEmpty()) {
        text.append("Evidence: ").append(String.join(", ", evidence)).append('\n');
      }
      // The most urgent risk's fix covers the lesser ones (RestartRisk's steps include pinning and use_tempaddr).
      posture.risks().stream().filter(r -> !r.fixSteps().isEmpty()).findFirst()
          .ifPresent(r -> appendSteps(text, r.fixSteps()));
    }
    return text.toString();
  }

  private static void appendSteps(StringBuilder text, List<String> steps) {
    text.append("Steps:\n");
    for (int i = 0; i < steps.size(); i++) {
      String[] lines = steps.get(i).split("\n", -1);
      text.append(String.format("  %2d. %s%n", i + 1, lines[0]));
      for (int l = 1; l < lines.length; l++) {
        text.append("      ").append(lines[l]).append('\n');
      }
    }
  }
}
