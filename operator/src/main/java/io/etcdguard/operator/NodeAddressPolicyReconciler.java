package io.etcdguard.operator;

import io.etcdguard.etcd.EtcdClientPool;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.check.Checker;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.etcd.TlsMaterialException;
import io.etcdguard.k8s.LabelSelectors;
import io.etcdguard.k8s.NodeStore;
import io.etcdguard.k8s.ReportStore;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.operator.PolicyObserver.Observation;
import io.etcdguard.policy.Defaults;
import io.etcdguard.policy.PolicyInvalidException;
import io.etcdguard.policy.PolicyValidator;
import io.etcdguard.policy.PolicyValidator.EtcdSettings;
import io.etcdguard.policy.PolicyValidator.MissingSelector;
import io.etcdguard.policy.ValidatedPolicy;
import io.etcdguard.check.CheckOutcome;
import io.etcdguard.status.ConditionReasons;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.etcdguard.status.StatusComposer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a NodeAddressPolicy: validate -> observe (etcd members, selected Nodes) -> classify ->
 * report (compose the status, persist it, then metrics and Events), then again at the policy's next slot, one
 * checkInterval after the last ({@link CheckSchedule}), or at once when a Node changes.
 */
// No finalizer: what a deleted policy leaves behind lives in this process only (metric series, an etcd
// client), so the delete event is enough, and policies never hang in Terminating when the operator is gone.
@ControllerConfiguration(name = NodeAddressPolicyReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class NodeAddressPolicyReconciler implements Reconciler<NodeAddressPolicy> {
  public static final String NAME = "nodeaddresspolicy";
  private static final Logger LOG = LoggerFactory.getLogger(NodeAddressPolicyReconciler.class);

  private final PolicyObserver observer;
  private final Checker checker;
  private final PolicyReporter reporter;
  private final EtcdClientPool pool;
  private final NodeStore nodeStore;
  private final ReportStore reportStore;
  private final Clock clock;
  private final StatusWriter statusWriter;
  private final CheckProgress progress;

  /** Retries of a failed reconciliation: unbounded, 1 s doubling up to 60 s (JOSDK's default gives up after 5). */
  public static GenericRetry retry() {
    return new GenericRetry().withoutMaxAttempts().setInitialInterval(Duration.ofSeconds(1)).setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofSeconds(60).toMillis());
  }

  /** Every policy is reconciled at least this often, even if a reschedule or an event was lost (JOSDK's default: 10 h). */
  public static final Duration MAX_RECONCILIATION_INTERVAL = Duration.ofMinutes(5);

  public NodeAddressPolicyReconciler(PolicyObserver observer, Checker checker, PolicyReporter reporter,
      EtcdClientPool pool, NodeStore nodeStore, Clock clock) {
    this(observer, checker, reporter, pool, nodeStore, new ReportStore(), clock, StatusWriter.cachingUpdate(),
        new CheckProgress(clock));
  }

  public NodeAddressPolicyReconciler(PolicyObserver observer, Checker checker, PolicyReporter reporter,
      EtcdClientPool pool, NodeStore nodeStore, ReportStore reportStore, Clock clock) {
    this(observer, checker, reporter, pool, nodeStore, reportStore, clock, StatusWriter.cachingUpdate(), new CheckProgress(clock));
  }

  public NodeAddressPolicyReconciler(PolicyObserver observer, Checker checker, PolicyReporter reporter,
      EtcdClientPool pool, NodeStore nodeStore, Clock clock, StatusWriter statusWriter, CheckProgress progress) {
    this(observer, checker, reporter, pool, nodeStore, new ReportStore(), clock, statusWriter, progress);
  }

  public NodeAddressPolicyReconciler(PolicyObserver observer, Checker checker, PolicyReporter reporter,
      EtcdClientPool pool, NodeStore nodeStore, ReportStore reportStore, Clock clock, StatusWriter statusWriter,
      CheckProgress progress) {
    this.observer = observer;
    this.checker = checker;
    this.reporter = reporter;
    this.pool = pool;
    this.nodeStore = nodeStore;
    this.reportStore = reportStore;
    this.clock = clock;
    this.statusWriter = statusWriter;
    this.progress = progress;
  }

  /** For the liveness probe. */
  public CheckProgress progress() {
    return progress;
  }

  @Override
  public UpdateControl<NodeAddressPolicy> reconcile(NodeAddressPolicy policy, Context<NodeAddressPolicy> context) {
    String name = policy.getMetadata().getName();
    if (context.isPrimaryResourceDeleted()) {
      forget(name);
      return UpdateControl.noUpdate();
    }
    long started = System.nanoTime();
    Instant began = clock.instant();
    Duration interval = Defaults.INTERVAL_WHEN_INVALID;
    progress.expect(name, interval);
    CheckOutcome outcome;
    try {
      ValidatedPolicy validated = PolicyValidator.validate(policy.getSpec(), EtcdSettings.REQUIRED, MissingSelector.DEFAULT);
      interval = validated.checkInterval();
      progress.expect(name, interval);
      Observation seen = observer.observe(name, validated);
      outcome = new CheckOutcome.Checked(checker.check(seen.members(), seen.nodes(), validated.rules(), seen.health(), seen.reports()));
    } catch (PolicyInvalidException e) {
      outcome = new CheckOutcome.Invalid(ConditionReasons.INVALID_SPEC, e.getMessage());
    } catch (TlsMaterialException e) {
      outcome = new CheckOutcome.Invalid(ConditionReasons.TLS_MATERIAL_INVALID, e.getMessage());
    } catch (EtcdAccessException e) {
      outcome = new CheckOutcome.EtcdUnreachable(e.getMessage());
    }
    // A NodesUnavailableException (the selected Nodes not listed yet) is no outcome: without its Nodes a check would
    // call every member "matches no Node". It propagates: updateErrorStatus records it, JOSDK retries.
    // compose -> persist -> metrics -> events: nothing is reported from a status that is not stored
    NodeAddressPolicyStatus before = policy.getStatus();
    NodeAddressPolicyStatus after = reporter.compose(policy, outcome, clock.instant());
    if (before == null || !before.equals(after)) {
      try {
        statusWriter.persist(policy, after, context);
      } catch (RuntimeException notWritten) {
        policy.setStatus(before); // JOSDK's write sets the status on the object it is given: the stored one is still `before`
        throw notWritten;
      }
    }
    reporter.published(policy, before, after, outcome, Duration.ofNanos(System.nanoTime() - started), clock.instant());
    progress.completed(name, interval);
    // the policy's next slot: a fixed rate, and the policies spread over the interval (CheckSchedule)
    return UpdateControl.<NodeAddressPolicy>noUpdate().rescheduleAfter(CheckSchedule.nextCheckIn(interval, began, clock.instant(), name));
  }

  /**
   * A reconciliation threw (the status write failed, say, during an API outage): Ready False with reason
   * ReconcileError and the cause, the rest of the stored status kept, written like a check's status (a
   * failed write is logged: the API may be what is down). JOSDK retries with {@link #retry()}.
   */
  @Override
  public ErrorStatusUpdateControl<NodeAddressPolicy> updateErrorStatus(NodeAddressPolicy policy,
      Context<NodeAddressPolicy> context, Exception e) {
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !cause.contains(root.getMessage())) {
      cause = cause + ": " + root.getMessage();
    }
    LOG.warn("policy {}: reconciliation failed, retrying with backoff: {}", policy.getMetadata().getName(), cause);
    Long generation = policy.getMetadata().getGeneration();
    NodeAddressPolicyStatus failed = StatusComposer.reconcileFailed(policy.getStatus(), generation == null ? 0 : generation,
        cause.length() <= 1000 ? cause : cause.substring(0, 997) + "...", clock.instant());
    if (!failed.equals(policy.getStatus())) {
      try {
        statusWriter.persist(policy, failed, context); // the same locked, cached write as a check's
      } catch (RuntimeException writeFailed) {
        LOG.warn("policy {}: could not record the failure in its status either: {}", policy.getMetadata().getName(),
            writeFailed.getMessage());
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private void forget(String policy) {
    progress.forget(policy);
    if (nodeStore != null) {
      nodeStore.forget(policy);
    }
    reporter.forget(policy);
    pool.release(policy);
  }

  @Override
  public List<EventSource<?, NodeAddressPolicy>> prepareEventSources(EventSourceContext<NodeAddressPolicy> context) {
    // Nodes: one informer per distinct policy nodeSelector, started by the first check that needs it (NodeStore)
    var nodes = new NodeEventSource(nodeStore, (selector, node) -> policiesConcerning(selector, node, context));
    // The node agents' reports (cluster-scoped): a change re-checks the policies whose Nodes it concerns.
    var reports = InformerEventSourceConfiguration.from(NodeAddressReport.class, NodeAddressPolicy.class)
        .withName("nodeaddressreports")
        .withItemStore(reportStore)
        .withSecondaryToPrimaryMapper(report -> policiesConcerningNode(ReportStore.nodeOf(report), context))
        .build();
    return List.of(nodes, new InformerEventSource<>(reports, context));
  }

  /** The policies a report about this Node can affect: those that select the Node, and those whose members sit on it. */
  Set<ResourceID> policiesConcerningNode(String nodeName, EventSourceContext<NodeAddressPolicy> context) {
    var node = nodeStore.info(nodeName);
    var labels = node == null ? java.util.Map.<String, String>of() : node.labels();
    return context.getPrimaryCache().list()
        .filter(p -> (node != null && selects(p, labels)) || hasMemberOn(p, nodeName))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /**
   * The policies a change of a Node under a selector can affect: those with that selector (the Node entered or left
   * their Nodes), those that select it, and those whose members sit on it.
   */
  static Set<ResourceID> policiesConcerning(String selector, Node node, EventSourceContext<NodeAddressPolicy> context) {
    String nodeName = node.getMetadata().getName();
    var labels = node.getMetadata().getLabels() == null ? java.util.Map.<String, String>of() : node.getMetadata().getLabels();
    return context.getPrimaryCache().list()
        .filter(p -> selector.equals(canonicalSelector(p)) || selects(p, labels) || hasMemberOn(p, nodeName))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static LabelSelector selectorOf(NodeAddressPolicy policy) {
    return policy.getSpec() == null || policy.getSpec().getNodeSelector() == null
        ? Defaults.nodeSelector() : policy.getSpec().getNodeSelector();
  }

  private static boolean selects(NodeAddressPolicy policy, java.util.Map<String, String> labels) {
    try {
      return LabelSelectors.matches(selectorOf(policy), labels);
    } catch (IllegalArgumentException invalid) {
      return false;
    }
  }

  private static String canonicalSelector(NodeAddressPolicy policy) {
    try {
      return LabelSelectors.canonical(selectorOf(policy));
    } catch (IllegalArgumentException invalid) {
      return null;
    }
  }

  private static boolean hasMemberOn(NodeAddressPolicy policy, String nodeName) {
    return policy.getStatus() != null && policy.getStatus().getMembers().stream()
        .map(MemberStatus::getNode).anyMatch(n -> Objects.equals(n, nodeName));
  }
}
