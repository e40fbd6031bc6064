package io.etcdguard.cli;

import io.etcdguard.etcd.EtcdFailureClassifier;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * etcd-address-guard: one jar, one engine, several front doors.
 *
 * <p>The subcommands are registered by {@link #commandLine(String...)}, not in the annotation: picocli builds the
 * model of every registered subcommand (instances, reflection over all options, their types' static set-up), so a
 * run of one subcommand registers only that one and a short-lived {@code audit} never loads the operator's, the
 * agent's or the planner's classes. Help, version and usage errors print exactly what the full tree prints
 * (MainLazySubcommandsTest compares them).
 */
@Command(
    name = "etcd-address-guard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Catches etcd members that advertise the wrong peer address (e.g. a temporary IPv6 address) before they break quorum.")
public final class Main {
  /** Exit codes shared by all subcommands. */
  public static final int EXIT_OK = 0;
  public static final int EXIT_VIOLATIONS = 1;
  public static final int EXIT_USAGE_OR_INPUT = 2;

  /** A subcommand: its name (the {@code @Command} name, a test checks they agree) and how to make one. */
  record Subcommand(String name, Supplier<Object> create) {}

  /**
   * Every subcommand, in the order the usage lists them. Lambdas, not constructor references: a reference
   * resolves (loads and verifies) its class when the list is built, a lambda only when it runs.
   */
  static final List<Subcommand> SUBCOMMANDS = List.of(
      new Subcommand("audit", () -> new AuditCommand()),
      new Subcommand("plan", () -> new PlanCommand()),
      new Subcommand("operator", () -> new OperatorCommand()),
      new Subcommand("agent", () -> new AgentCommand()),
      new Subcommand("copy-certs", () -> new CopyCertsCommand()));

  /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  public static void main(String[] args) {
    // gRPC logs through java.util.logging; its INFO chatter (transport probing) is noise on a terminal.
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine(args).execute(args));
  }

  /** The whole command tree, every subcommand registered. */
  public static CommandLine commandLine() {
    return build(SUBCOMMANDS);
  }

  /**
   * The command tree that runs {@code args}: when the first argument names a subcommand, the root and that
   * subcommand only; otherwise (no argument, a root option, {@code help}, an unknown name) the whole tree, as
   * the root's usage and its errors list every subcommand.
   */
  public static CommandLine commandLine(String... args) {
    if (args.length > 0) {
      for (Subcommand sub : SUBCOMMANDS) {
        if (sub.name().equals(args[0])) {
          return build(List.of(sub));
        }
      }
    }
    return commandLine();
  }

  private static CommandLine build(List<Subcommand> subcommands) {
    CommandLine cli = new CommandLine(new Main());
    for (Subcommand sub : subcommands) {
      cli.addSubcommand(sub.name(), sub.create().get());
    }
    cli.addSubcommand("help", new CommandLine.HelpCommand());
    // Bad input is an exit-2 one-liner, never a stack trace.
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return EXIT_USAGE_OR_INPUT;
    });
    // A usage error is one line and a pointer to --help, not the whole usage text.
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine failed = ex.getCommandLine();
      failed.getErr().println("error: " + (ex.getMessage() == null ? "bad usage" : EtcdFailureClassifier.firstLine(ex.getMessage())));
      failed.getErr().println("try '" + failed.getCommandSpec().qualifiedName() + " --help'");
      failed.getErr().flush();
      return EXIT_USAGE_OR_INPUT;
    });
    return cli;
  }
}
