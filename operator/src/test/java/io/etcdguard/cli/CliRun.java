package io.etcdguard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the CLI, in process unless a test says otherwise: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {
  /** {@code etcd-address-guard <args>}, as {@link Main} runs it. */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(args);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** {@code etcd-address-guard <command> <args>}. */
  static CliRun command(String command, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    return of(all);
  }
}
