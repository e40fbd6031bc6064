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

  /** How to run it. */
  public record Settings(int metricsPort, String leaderElectionNamespace, String identity, Duration dnsTimeout) {
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

  public GuardOperator(KubernetesClient client, Settings settings) throws IOException {
    this(client, settings, config -> new PooledJetcd(new JetcdMemberSource(config)));
  }

  /** With another etcd client factory (tests count open clients through it). */
  public GuardOperator(KubernetesClient client, Settings settings, Function<EtcdClientConfig, EtcdClientPool.PooledSource> etcd)
      throws IOException {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    pool = new EtcdClientPool(etcd);
    resolver = new HostnameResolver(settings.dnsTimeout());
    NodeStore nodes = new NodeStore();
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
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (settings.leaderElection()) {
        // JOSDK's own exit-on-stop-leading would also fire on a deliberate stop, from inside the JVM's
        // shutdown hook, where System.exit blocks forever; so exit here, and only when the lease was lost.
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, settings.leaderElectionNamespace(),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, settings.identity(),
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
