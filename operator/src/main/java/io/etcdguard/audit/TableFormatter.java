package io.etcdguard.audit;

import io.etcdguard.api.v1alpha1.NodeRiskStatus;

import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import java.util.ArrayList;
import java.util.List;

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
            sb.append("  ").append(i + 1).append(". ").append(steps.get(i).replace("\n", "\n     ")).append(System.lineSeparator());
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

  /**
   * Columns as wide as their widest cell (so nothing wraps), {@link #GAP} apart, no trailing blanks; no colours.
   * Padded here rather than with picocli's TextTable, whose line breaking sets up the JDK's locale data
   * (BreakIterator, CLDR) on every run of the CLI.
   */
  static String memberTable(List<String[]> rows) {
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      int lineStart = sb.length();
      for (int i = 0; i < widths.length; i++) {
        sb.append(row[i]);
        if (i < widths.length - 1) {
          sb.append(" ".repeat(widths[i] - row[i].length() + GAP));
        }
      }
      int end = sb.length();
      while (end > lineStart && sb.charAt(end - 1) == ' ') {
        end--;
      }
      sb.setLength(end);
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }
}
