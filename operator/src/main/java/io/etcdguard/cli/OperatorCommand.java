package io.etcdguard.cli;

import io.etcdguard.api.v1alpha1.Durations;
import io.etcdguard.k8s.ApiFailures;
import io.etcdguard.k8s.KubernetesClients;
import io.etcdguard.operator.GuardOperator;
import io.etcdguard.policy.Defaults;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.OperatorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs the NodeAddressPolicy operator.",
        "Checks every policy's etcd member list every checkInterval (and at once when a selected Node changes)"
            + " and reports through status, Events on Nodes and policies, and Prometheus metrics on --metrics-port"
            + " (GET /metrics, /healthz, /readyz)."})
public final class OperatorCommand implements Callable<Integer> {
  /** The lease flags' defaults: what {@link GuardOperator.LeaseTimings#DEFAULT} says (CliDefaultsTest). */
  static final String DEFAULT_LEASE_DURATION = "6s";
  static final String DEFAULT_RENEW_DEADLINE = "4s";
  static final String DEFAULT_RETRY_PERIOD = "1s";

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig to use (default: in-cluster service account, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8080", description = "Port for /metrics, /healthz and /readyz. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--leader-election", paramLabel = "BOOL", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "Take a Lease before reconciling, so several replicas are safe. Default: ${DEFAULT-VALUE}.")
  boolean leaderElection;

  @Option(names = "--leader-election-namespace", paramLabel = "NS",
      description = "Namespace of the Lease (default: the pod's namespace from POD_NAMESPACE, else the kubeconfig's).")
  String leaderElectionNamespace;

  @Option(names = "--lease-duration", paramLabel = "DURATION", defaultValue = DEFAULT_LEASE_DURATION,
      description = "How long a Lease holder is trusted without renewing; a standby takes over at most this plus"
          + " 1.2x --retry-period after the leader dies. Default: ${DEFAULT-VALUE}.")
  String leaseDuration;

  @Option(names = "--renew-deadline", paramLabel = "DURATION", defaultValue = DEFAULT_RENEW_DEADLINE,
      description = "How long the leader keeps trying to renew before it gives up the Lease and exits;"
          + " shorter than --lease-duration. Default: ${DEFAULT-VALUE}.")
  String renewDeadline;

  @Option(names = "--retry-period", paramLabel = "DURATION", defaultValue = DEFAULT_RETRY_PERIOD,
      description = "How often the Lease is tried (1.2x of it must stay below --renew-deadline). Default: ${DEFAULT-VALUE}.")
  String retryPeriod;

  @Option(names = "--reconcile-threads", paramLabel = "N", defaultValue = "" + GuardOperator.DEFAULT_RECONCILE_THREADS,
      description = "How many policies are checked at once (a check against a hung etcd holds one for at most its"
          + " request deadline). Default: ${DEFAULT-VALUE}.")
  int reconcileThreads;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info", description = "error, warn, info, debug or trace. Default: ${DEFAULT-VALUE}.")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    // slf4j-simple reads this once, before the first logger is created.
    System.setProperty("org.slf4j.simpleLogger.log.io.etcdguard", logLevel);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    GuardOperator.LeaseTimings lease = new GuardOperator.LeaseTimings(Durations.parse("--lease-duration", leaseDuration),
        Durations.parse("--renew-deadline", renewDeadline), Durations.parse("--retry-period", retryPeriod));
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException("--reconcile-threads must be at least 1, not " + reconcileThreads);
    }
    Config config = kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(kubeconfig));
    String identity = System.getenv().getOrDefault("POD_NAME", java.net.InetAddress.getLocalHost().getHostName());
    String leaseNamespace = null;
    if (leaderElection) {
      leaseNamespace = leaderElectionNamespace != null ? leaderElectionNamespace
          : System.getenv().getOrDefault("POD_NAMESPACE", config.getNamespace() == null ? "default" : config.getNamespace());
    }
    KubernetesClient client = KubernetesClients.bounded(config);
    CountDownLatch stopped = new CountDownLatch(1);
    GuardOperator operator = new GuardOperator(client,
        new GuardOperator.Settings(metricsPort, leaseNamespace, identity, Defaults.DNS_TIMEOUT, lease, reconcileThreads));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      client.close();
      stopped.countDown();
    }, "etcdguard-shutdown"));
    try {
      operator.start();
    } catch (OperatorException notStarted) {
      throw new IllegalStateException(notStartedMessage(config.getMasterUrl(), notStarted), notStarted);
    }
    spec.commandLine().getErr().printf("etcd-address-guard operator running against %s; metrics on :%d/metrics%n",
        config.getMasterUrl(), operator.metricsPort());
    stopped.await();
    return Main.EXIT_OK;
  }

  /**
   * JOSDK says only "Error starting operator" (its informers' stack traces are logged before it): the API server
   * and why, as the last line of the pod's log before it restarts.
   */
  static String notStartedMessage(String apiServer, Throwable notStarted) {
    String reason = ApiFailures.reason(notStarted);
    return "the operator could not start against the Kubernetes API at " + apiServer + ": " + reason
        + (reason.startsWith("HTTP 404") ? " (are the NodeAddressPolicy and NodeAddressReport CRDs installed?)" : "");
  }
}
