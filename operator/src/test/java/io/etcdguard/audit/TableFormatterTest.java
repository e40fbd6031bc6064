package io.etcdguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.FixStatus;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.PolicySummary;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/** The audit table read as a person reads it: by column, under its header; whitespace beyond alignment is not pinned. */
class TableFormatterTest {
  static final List<String> HEADER = List.of("MEMBER", "ID", "NODE", "PEER URLS", "STATUS");
  static final String TEMPORARY_URL = "https://[fd00:c0ff:ee:0:da69:8213:dd0b:aac3]:2380";

  @Test
  void everyCellStandsUnderItsHeader() {
    MemberStatus violating = member("losangeles-0ac72af5", "91bc3c398fb3c146", "losangeles", List.of(TEMPORARY_URL),
        new ReasonStatus("TemporaryIPv6Address", "Suspected", "fd00:c0ff:ee:0:da69:8213:dd0b:aac3", "temporary address"),
        new ReasonStatus("NotNodeInternalIP", "Certain", "fd00:c0ff:ee:0:da69:8213:dd0b:aac3", "not an InternalIP"));
    MemberStatus unstarted = member("", "2c7a1f", null, List.of("https://10.0.0.1:2380", "https://10.0.0.2:2380"));
    List<List<String>> rows = rows(TableFormatter.format(report(violating, unstarted)));

    assertThat(rows).containsExactly(HEADER,
        List.of("losangeles-0ac72af5", "91bc3c398fb3c146", "losangeles", TEMPORARY_URL,
            "TemporaryIPv6Address?,NotNodeInternalIP"),
        List.of("(unstarted)", "2c7a1f", "<none>", "https://10.0.0.1:2380,https://10.0.0.2:2380", "OK"));
  }

  @Test
  void aNonCompliantMemberGetsItsEvidenceAndNumberedFixSteps() {
    MemberStatus violating = member("losangeles-0ac72af5", "91bc3c398fb3c146", "losangeles", List.of(TEMPORARY_URL),
        new ReasonStatus("TemporaryIPv6Address", "Suspected", "fd00::aac3", "a temporary address"));
    violating.setPrimaryReason("TemporaryIPv6Address");
    violating.setFix(new FixStatus("Re-register the member.", List.of("etcdctl member update 91bc3c398fb3c146", "restart\nk3s"), List.of()));
    String text = TableFormatter.format(report(violating, member("k3s-1", "1", "k3s-1", List.of("https://192.168.1.31:2380"))));

    assertThat(text).contains("1 of 2 members do not comply (? = suspected):",
        "losangeles-0ac72af5: TemporaryIPv6Address\n",
        "- TemporaryIPv6Address (Suspected, fd00::aac3): a temporary address\n",
        "Fix: Re-register the member.\n",
        "  1. etcdctl member update 91bc3c398fb3c146\n",
        "  2. restart\n     k3s\n");
    assertThat(text).doesNotContain("k3s-1:");
  }

  @Test
  void aCompliantClusterSaysSoOnce() {
    String text = TableFormatter.format(report(member("k3s-1", "1", "k3s-1", List.of("https://192.168.1.31:2380"))));
    assertThat(text).endsWith("\nAll 1 members comply.\n").doesNotContain("Fix:", "do not comply");
    assertThat(rows(text)).containsExactly(HEADER, List.of("k3s-1", "1", "k3s-1", "https://192.168.1.31:2380", "OK"));
  }

  /**
   * The table is laid out as picocli's TextTable laid it out (the reference) for cells of the characters member
   * names, IDs, Node names, URLs and reason lists are made of. (Given blanks or other punctuation, TextTable could
   * break a line inside a cell and repeat part of it; the table now keeps each row on one line.)
   */
  static final String CELL_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:/[],?()<>";

  @Test
  void layoutIsPicocliTextTables() {
    Random random = new Random(11);
    for (int table = 0; table < 300; table++) {
      List<String[]> rows = new ArrayList<>();
      rows.add(HEADER.toArray(String[]::new));
      for (int r = random.nextInt(6); r > 0; r--) {
        String[] row = new String[HEADER.size()];
        for (int c = 0; c < row.length; c++) {
          StringBuilder cell = new StringBuilder();
          for (int n = random.nextInt(30); n > 0; n--) {
            cell.append(CELL_CHARACTERS.charAt(random.nextInt(CELL_CHARACTERS.length())));
          }
          row[c] = cell.toString();
        }
        rows.add(row);
      }
      assertThat(TableFormatter.memberTable(rows)).isEqualTo(textTable(rows));
    }
  }

  private static String textTable(List<String[]> rows) {
    Column[] columns = new Column[HEADER.size()];
    for (int i = 0; i < columns.length; i++) {
      int column = i;
      int widest = rows.stream().mapToInt(row -> row[column].length()).max().orElse(0);
      columns[i] = new Column(widest + (i == columns.length - 1 ? 0 : 2), 0, Column.Overflow.SPAN);
    }
    TextTable table = TextTable.forColumns(Help.defaultColorScheme(Help.Ansi.OFF), columns);
    rows.forEach(table::addRowValues);
    return table.toString();
  }

  /** The member table's cells, cut at the columns where the header's words start. */
  static List<List<String>> rows(String text) {
    List<String> lines = text.lines().takeWhile(l -> !l.isBlank()).toList();
    String header = lines.get(0);
    int[] starts = HEADER.stream().mapToInt(header::indexOf).toArray();
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < starts.length; i++) {
        int end = i + 1 < starts.length ? Math.min(starts[i + 1], line.length()) : line.length();
        assertThat(starts[i] == 0 || line.charAt(starts[i] - 1) == ' ').as("a blank before column %s in %s", HEADER.get(i), line).isTrue();
        cells.add(line.substring(Math.min(starts[i], line.length()), end).strip());
      }
      rows.add(cells);
    }
    return rows;
  }

  static MemberStatus member(String name, String id, String node, List<String> peerUrls, ReasonStatus... reasons) {
    MemberStatus m = new MemberStatus();
    m.setName(name);
    m.setId(id);
    m.setNode(node);
    m.setPeerURLs(peerUrls);
    m.setReasons(List.of(reasons));
    m.setCompliant(reasons.length == 0);
    return m;
  }

  static AuditReport report(MemberStatus... members) {
    PolicySummary summary = new PolicySummary();
    summary.setMembers(members.length);
    int violations = (int) List.of(members).stream().filter(m -> !m.isCompliant()).count();
    summary.setViolations(violations);
    summary.setCompliant(violations == 0);
    return new AuditReport("cafe", List.of(members), summary, List.of(),
        new AuditReport.RestartSafe("True", "NoNodeAtRisk", "no etcd Node is at risk"), violations == 0);
  }
}
