package io.etcdguard.cli;

import io.etcdguard.etcd.EtcdFailureClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** etcd-address-guard: one jar, one engine, several front doors. */
@Command(
    name = "etcd-address-guard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Catches etcd members that advertise the wrong peer address (e.g. a temporary IPv6 address) before they break quorum.",
    subcommands = {AuditCommand.class, PlanCommand.class, OperatorCommand.class, AgentCommand.class, CopyCertsCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
  /** Exit codes shared by all subcommands. */
  public static final int EXIT_OK = 0;
  public static final int EXIT_VIOLATIONS = 1;
  public static final int EXIT_USAGE_OR_INPUT = 2;

  /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  public static void main(String[] args) {
    // gRPC logs through java.util.logging; its INFO chatter (transport probing) is noise on a terminal.
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
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
