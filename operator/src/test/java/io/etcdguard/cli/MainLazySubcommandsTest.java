package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@link Main#commandLine(String...)} registers only the subcommand that runs; help, version, usage errors and
 * exit codes must be exactly those of the whole tree ({@link Main#commandLine()}) for every subcommand.
 */
class MainLazySubcommandsTest {

  /** Arguments that parse, print and exit without doing any work (no etcd, no cluster, no files). */
  static Stream<List<String>> argumentsThatOnlyPrint() {
    List<List<String>> all = new ArrayList<>();
    all.add(List.of());
    all.add(List.of("--help"));
    all.add(List.of("-h"));
    all.add(List.of("--version"));
    all.add(List.of("-V"));
    all.add(List.of("help"));
    all.add(List.of("help", "no-such-command"));
    all.add(List.of("no-such-command"));
    all.add(List.of("--no-such-option"));
    all.add(List.of("AUDIT"));
    all.add(List.of("-h", "audit"));
    all.add(List.of("--version", "audit", "--no-such-option"));
    for (Main.Subcommand sub : Main.SUBCOMMANDS) {
      String name = sub.name();
      all.add(List.of(name, "--help"));
      all.add(List.of(name, "-h"));
      all.add(List.of(name, "--version"));
      all.add(List.of(name, "-V"));
      all.add(List.of(name, "--no-such-option"));
      all.add(List.of(name, "an-unexpected-argument"));
      all.add(List.of(name, "--help", "--no-such-option"));
      all.add(List.of(name, name, "--help"));
      all.add(List.of(name, "help"));
      all.add(List.of("help", name));
      all.add(List.of("help", name, "--no-such-option"));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("argumentsThatOnlyPrint")
  void printsAndExitsAsTheWholeTreeDoes(List<String> arguments) {
    String[] args = arguments.toArray(String[]::new);
    Run whole = run(Main.commandLine(), args);
    Run lazy = run(Main.commandLine(args), args);
    assertThat(lazy).isEqualTo(whole);
  }

  @Test
  void theRootsUsageListsEverySubcommandInOrder() {
    Run help = run(Main.commandLine("--help"), "--help");
    assertThat(help.exit()).isZero();
    List<String> listed = help.out().lines().map(String::strip)
        .map(line -> line.split("\\s+")[0])
        .filter(word -> Main.SUBCOMMANDS.stream().anyMatch(s -> s.name().equals(word)) || word.equals("help"))
        .toList();
    assertThat(listed).containsExactly("audit", "plan", "operator", "agent", "copy-certs", "help");
  }

  @Test
  void aSubcommandRunRegistersThatSubcommandOnly() {
    for (Main.Subcommand sub : Main.SUBCOMMANDS) {
      CommandLine cli = Main.commandLine(sub.name(), "--whatever");
      assertThat(cli.getSubcommands().keySet()).as(sub.name()).containsExactly(sub.name(), "help");
    }
    assertThat(Main.commandLine("help", "audit").getSubcommands().keySet())
        .containsExactly("audit", "plan", "operator", "agent", "copy-certs", "help");
    assertThat(Main.commandLine().getSubcommands().keySet())
        .containsExactly("audit", "plan", "operator", "agent", "copy-certs", "help");
  }

  @Test
  void eachNameIsItsCommandsAnnotatedName() {
    for (Main.Subcommand sub : Main.SUBCOMMANDS) {
      Command command = sub.create().get().getClass().getAnnotation(Command.class);
      assertThat(command.name()).isEqualTo(sub.name());
      assertThat(command.aliases()).as("aliases of %s: Main.commandLine(String...) matches names only", sub.name()).isEmpty();
    }
  }

  record Run(int exit, String out, String err) {}

  static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
