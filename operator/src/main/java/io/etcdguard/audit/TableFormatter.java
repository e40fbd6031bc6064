package io.etcdguard.audit;

import io.etcdguard.api.v1alpha1.NodeRiskStatus;

import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import java.util.ArrayList;
import java.util.List;

/** The audit table, for people: a row per member, then per non-compliant member its primary reason, evidence and fix. */
public final class TableFormatter {
  private TableFormatter() {}

  public static String format(AuditReport report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MEMBER", "ID", "NODE", "PEER URLS", "STATUS"});
    for (MemberStatus m : report.members()) {
      String status = m.isCompliant() ? "OK"
          : String.join(",", m.getReasons().stream().map(r -> r.getReason() + (r.getConfidence().equals("Suspected") ? "?" : "")).toList());
      rows.add(new String[] {m.getName().isEmpty() ? "(unstarted)" : m.getName(), m.getId(),
          m.getNode() == null ? "<none>" : m.getNode(), String.join(",", m.getPeerURLs()), status});
    }
    int[] widths = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        sb.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      sb.append('\n');
    }
    sb.append('\n');
    if (report.summary().isCompliant()) {
      sb.append("All ").append(report.summary().getMembers()).append(" members comply.\n");
    } else {
      sb.append(report.summary().getViolations()).append(" of ").append(report.summary().getMembers())
          .append(" members do not comply (? = suspected):\n");
      for (MemberStatus m : report.members()) {
        if (m.isCompliant()) {
          continue;
        }
        sb.append("\n").append(m.getName().isEmpty() ? m.getId() : m.getName()).append(": ").append(m.getPrimaryReason()).append('\n');
        for (ReasonStatus r : m.getReasons()) {
          sb.append("- ").append(r.getReason()).append(" (").append(r.getConfidence()).append(", ").append(r.getAddress())
              .append("): ").append(r.getMessage()).append('\n');
        }
        if (m.getFix() != null) {
          sb.append("Fix: ").append(m.getFix().getText()).append('\n');
          List<String> steps = m.getFix().getSteps();
          for (int i = 0; i < steps.size(); i++) {
            sb.append(String.format("  %d. %s%n", i + 1, steps.get(i).replace("\n", "\n     ")));
          }
        }
      }
    }
    if (!report.nodesAtRisk().isEmpty()) {
      sb.append("\nRestart safe: ").append(report.restartSafe().status()).append(" (").append(report.restartSafe().message()).append(")\n");
      for (NodeRiskStatus n : report.nodesAtRisk()) {
        sb.append("\nnode ").append(n.getNode()).append(" (member ").append(n.getMember()).append("): ")
            .append(String.join(", ", n.getRisks())).append("; agent report: ").append(n.getReport()).append('\n');
        sb.append("- ").append(n.getMessage()).append('\n');
        if (n.getFix() != null) {
          sb.append("Fix: ").append(n.getFix()).append('\n');
        }
      }
    }
    return sb.toString();
  }
}
