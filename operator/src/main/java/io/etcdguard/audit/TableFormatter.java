package io.etcdguard.audit;

import io.etcdguard.api.v1alpha1.NodeRiskStatus;

import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/** The audit table, for people: a row per member, then per non-compliant member its primary reason, evidence and fix. */
public final class TableFormatter {
  private TableFormatter() {}

  /** Blank columns between two columns of the member table. */
  private static final int GAP = 2;
  private static final String[] HEADER = {"MEMBER", "ID", "NODE", "PEER URLS", "STATUS"};

  public static String format(AuditReport report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (MemberStatus m : report.members()) {
      String status = m.isCompliant() ? "OK"
          : String.join(",", m.getReasons().stream().map(r -> r.getReason() + (r.getConfidence().equals("Suspected") ? "?" : "")).toList());
      rows.add(new String[] {m.getName().isEmpty() ? "(unstarted)" : m.getName(), m.getId(),
          m.getNode() == null ? "<none>" : m.getNode(), String.join(",", m.getPeerURLs()), status});
    }
    StringBuilder sb = new StringBuilder(memberTable(rows));
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

  /** Columns as wide as their widest cell (so nothing wraps), {@link #GAP} apart; no colours. */
  private static String memberTable(List<String[]> rows) {
    Column[] columns = new Column[HEADER.length];
    for (int i = 0; i < columns.length; i++) {
      int column = i;
      int widest = rows.stream().mapToInt(row -> row[column].length()).max().orElse(0);
      columns[i] = new Column(widest + (i == columns.length - 1 ? 0 : GAP), 0, Column.Overflow.SPAN);
    }
    TextTable table = TextTable.forColumns(Help.defaultColorScheme(Help.Ansi.OFF), columns);
    rows.forEach(table::addRowValues);
    return table.toString();
  }
}
