package io.etcdguard.operator;

import io.etcdguard.etcd.EtcdClientPool;
import io.etcdguard.k8s.TlsMaterialLoader;
import io.etcdguard.metrics.MetricsServer;
import io.etcdguard.check.HostnameResolver;
import io.etcdguard.check.Checker;
import io.etcdguard.etcd.EtcdClientConfig;
import io.etcdguard.etcd.JetcdMemberSource;
import io.etcdguard.k8s.NodeStore;
import io.etcdguard.k8s.ReportStore;
import io.etcdguard.k8s.KubernetesEventSink;
import io.etcdguard.metrics.PolicyMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator, wired: the JOSDK Operator with the NodeAddressPolicy reconciler and its collaborators,
 * the metrics/health server, and the etcd client pool. The CLI, the demo and the tests build it the same way.
 */
public final class GuardOperator implements AutoCloseable {
  public static final String LEASE_NAME = "etcd-address-guard-leader";

  /**
   * How many policies are checked at once. A check holds its thread for milliseconds against a healthy etcd
   * and for at most its request deadline (dial timeout + {@link io.etcdguard.policy.Defaults#REQUEST_ALLOWANCE},
   * 10 s by default) against a hung one, and the etcd I/O runs on the shared event loop, not here. Measured
   * (OperatorBench, docs/performance.md): 100 policies at a 5 s interval make 21-22 checks a second of 30-40 ms
   * each, i.e. 0.6-0.8 threads busy on average; bursts (every policy at start, 50 after a Node change) are bound by CPU,
   * not threads. So 8: 7 policies may sit on hung etcds at once while the eighth thread keeps the others'
   * interval. Every thread of the pool is created by the start's burst, so the count is also the pool's share of
   * the process's peak. JOSDK's default is 50 threads, created one per concurrent reconcile and never released.
   */
  public static final int DEFAULT_RECONCILE_THREADS = 8;

  /**
   * Leader-election timings. A standby takes over at most {@code leaseDuration + retryPeriod * 1.2} after
   * the leader's last renewal (fabric8's LeaderElector jitters the retry by 1.2, as client-go does); the
   * leader gives the Lease up when it could not renew within {@code renewDeadline}. fabric8 and client-go
   * require leaseDuration > renewDeadline > retryPeriod * 1.2.
   */
  public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    /**
     * 6 s / 4 s / 1 s: a standby takes the Lease at most 7.2 s after the leader's last renewal, and starts
     * checking at once (its caches are warm). A leader that cannot renew for 4 s (three tries) exits and comes
     * back as a standby: for a checker, a short gap beats two leaders. client-go's 15 s / 10 s / 2 s would
     * leave 17 s or more without checks after a crash.
     */
    public static final LeaseTimings DEFAULT = new LeaseTimings(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1));
    static final double JITTER_FACTOR = 1.2;

    public LeaseTimings {
      if (leaseDuration == null || renewDeadline == null || retryPeriod == null) {
        throw new IllegalArgumentException("lease timings: leaseDuration, renewDeadline and retryPeriod are required");
      }
      if (retryPeriod.isNegative() || retryPeriod.isZero()) {
        throw new IllegalArgumentException("lease timings: retryPeriod (" + retryPeriod + ") must be positive");
      }
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException("lease timings: leaseDuration (" + leaseDuration
            + ") must be longer than renewDeadline (" + renewDeadline + ")");
      }
      if (renewDeadline.toMillis() <= retryPeriod.toMillis() * JITTER_FACTOR) {
        throw new IllegalArgumentException("lease timings: renewDeadline (" + renewDeadline
            + ") must be longer than retryPeriod (" + retryPeriod + ") * " + JITTER_FACTOR);
      }
    }

    /** The longest a standby waits, after the leader's last renewal, before it can take the Lease. */
    public Duration worstTakeover() {
      return leaseDuration.plusMillis((long) (retryPeriod.toMillis() * JITTER_FACTOR));
    }
  }

  /** How to run it. */
  public record Settings(int metricsPort, String leaderElectionNamespace, String identity, Duration dnsTimeout,
      LeaseTimings lease, int reconcileThreads) {
    public Settings {
      if (lease == null) {
        lease = LeaseTimings.DEFAULT;
      }
      if (reconcileThreads < 1) {
        throw new IllegalArgumentException("reconcile threads must be at least 1, not " + reconcileThreads);
      }
    }

    /** With the default lease timings and reconcile pool. */
    public Settings(int metricsPort, String leaderElectionNamespace, String identity, Duration dnsTimeout) {
      this(metricsPort, leaderElectionNamespace, identity, dnsTimeout, LeaseTimings.DEFAULT, DEFAULT_RECONCILE_THREADS);
    }

    public boolean leaderElection() {
      return leaderElectionNamespace != null;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(GuardOperator.class);
  private volatile boolean closing;

  private final Operator operator;
  private final MetricsServer http;
  private final EtcdClientPool pool;
  private final HostnameResolver resolver;
  private final PrometheusMeterRegistry registry;
  private final NodeStore nodes;

  public GuardOperator(KubernetesClient client, Settings settings) throws IOException {
    this(client, settings, config -> new PooledJetcd(new JetcdMemberSource(config)));
  }

  /** With another etcd client factory (tests count open clients through it). */
  public GuardOperator(KubernetesClient client, Settings settings, Function<EtcdClientConfig, EtcdClientPool.PooledSource> etcd)
      throws IOException {
    // First, so that it overlaps the rest of the start on the second core (see StartupWarmUp).
    StartupWarmUp.start(StartupWarmUp.operatorSteps());
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    pool = new EtcdClientPool(etcd);
    resolver = new HostnameResolver(settings.dnsTimeout());
    nodes = new NodeStore(client, NodeStore.DEFAULT_SYNC_TIMEOUT);
    ReportStore reports = new ReportStore();
    Clock clock = Clock.systemUTC();
    PolicyMetrics metrics = new PolicyMetrics(registry);
    PolicyReporter reporter = new PolicyReporter(
        new KubernetesEventSink(client, settings.identity(), nodes::byName, clock), metrics);
    NodeAddressPolicyReconciler reconciler = new NodeAddressPolicyReconciler(
        new PolicyObserver(pool, new TlsMaterialLoader(client), nodes, reports, clock, metrics), new Checker(resolver), reporter, pool,
        nodes, reports, clock);

    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          // The CRUD mock refuses server-side apply; production takes the path the tests take.
          .withUseSSAToPatchPrimaryResource(false)
          // A bounded reconcile pool (see DEFAULT_RECONCILE_THREADS); no dependent resources, so no workflows.
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          .withConcurrentWorkflowExecutorThreads(1)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (settings.leaderElection()) {
        // JOSDK's own exit-on-stop-leading would also fire on a deliberate stop, from inside the JVM's
        // shutdown hook, where System.exit blocks forever; so exit here, and only when the lease was lost.
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, settings.leaderElectionNamespace(),
            settings.lease().leaseDuration(), settings.lease().renewDeadline(), settings.lease().retryPeriod(), settings.identity(),
            new LeaderCallbacks(() -> LOG.info("{} leads: checking policies", settings.identity()),
                this::leadershipLost, leader -> LOG.info("leader is {}", leader)),
            false));
      }
    });
    operator.register(reconciler, o -> o.withRetry(NodeAddressPolicyReconciler.retry())
        .withReconciliationMaxInterval(NodeAddressPolicyReconciler.MAX_RECONCILIATION_INTERVAL));
    CheckProgress progress = reconciler.progress();
    http = new MetricsServer(settings.metricsPort(), registry,
        progress::alive,
        () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy());
  }

  /** A replica that lost its lease must stop reconciling at once: it exits, and Kubernetes restarts it as a standby. */
  private void leadershipLost() {
    if (!closing) {
      LOG.error("lost the leader lease {}; exiting so that the restarted pod rejoins the election", LEASE_NAME);
      new Thread(() -> System.exit(1), "etcdguard-exit").start();
    }
  }

  public void start() {
    operator.start();
  }

  public int metricsPort() {
    return http.port();
  }

  public EtcdClientPool clientPool() {
    return pool;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    closing = true;
    operator.stop();
    nodes.close();
    http.close();
    pool.close();
    resolver.close();
  }

  /** The real jetcd source, closable by the pool. */
  record PooledJetcd(JetcdMemberSource source) implements EtcdClientPool.PooledSource {
    @Override
    public io.etcdguard.etcd.MemberListing listMembers() throws io.etcdguard.etcd.EtcdAccessException {
      return source.listMembers();
    }

    @Override
    public io.etcdguard.classify.MembershipHealth membershipHealth(io.etcdguard.etcd.MemberListing listing) {
      return source.membershipHealth(listing);
    }

    @Override
    public void close() {
      source.close();
    }
  }
}
