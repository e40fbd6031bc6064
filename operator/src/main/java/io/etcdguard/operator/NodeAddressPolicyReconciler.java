package io.etcdguard.operator;

import io.etcdguard.etcd.EtcdClientPool;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.check.Checker;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.etcd.TlsMaterialException;
import io.etcdguard.k8s.LabelSelectors;
import io.etcdguard.k8s.NodeInfos;
import io.etcdguard.k8s.NodeStore;
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
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a NodeAddressPolicy: observe (etcd members, selected Nodes) -> validate -> classify ->
 * report (status, Events, metrics), then again after checkInterval, or at once when a Node changes.
 */
// No finalizer: what a deleted policy leaves behind lives in this process only (metric series, an etcd
// client), so the delete event is enough, and policies never hang in Terminating when the operator is gone.
@ControllerConfiguration(name = NodeAddressPolicyReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class NodeAddressPolicyReconciler implements Reconciler<NodeAddressPolicy> {
  public static final String NAME = "nodeaddresspolicy";
  /** Nodes per list request of the Node informer. */
  static final long NODE_LIST_PAGE = 500;

  private final PolicyObserver observer;
  private final Checker checker;
  private final PolicyReporter reporter;
  private final EtcdClientPool pool;
  private final NodeStore nodeStore;
  private final Clock clock;

  public NodeAddressPolicyReconciler(PolicyObserver observer, Checker checker, PolicyReporter reporter,
      EtcdClientPool pool, NodeStore nodeStore, Clock clock) {
    this.observer = observer;
    this.checker = checker;
    this.reporter = reporter;
    this.pool = pool;
    this.nodeStore = nodeStore;
    this.clock = clock;
  }

  @Override
  public UpdateControl<NodeAddressPolicy> reconcile(NodeAddressPolicy policy, Context<NodeAddressPolicy> context) {
    String name = policy.getMetadata().getName();
    if (context.isPrimaryResourceDeleted()) {
      forget(name);
      return UpdateControl.noUpdate();
    }
    long started = System.nanoTime();
    Duration interval = Defaults.INTERVAL_WHEN_INVALID;
    CheckOutcome outcome;
    try {
      ValidatedPolicy validated = PolicyValidator.validate(policy.getSpec(), EtcdSettings.REQUIRED, MissingSelector.DEFAULT);
      interval = validated.checkInterval();
      Observation seen = observer.observe(name, validated);
      outcome = new CheckOutcome.Checked(checker.check(seen.members(), seen.nodes(), validated.rules(), seen.health()));
    } catch (PolicyInvalidException e) {
      outcome = new CheckOutcome.Invalid(ConditionReasons.INVALID_SPEC, e.getMessage());
    } catch (TlsMaterialException e) {
      outcome = new CheckOutcome.Invalid(ConditionReasons.TLS_MATERIAL_INVALID, e.getMessage());
    } catch (EtcdAccessException e) {
      outcome = new CheckOutcome.EtcdUnreachable(e.getMessage());
    }
    NodeAddressPolicyStatus before = policy.getStatus();
    NodeAddressPolicyStatus after = reporter.report(policy, outcome, Duration.ofNanos(System.nanoTime() - started), clock.instant());

    if (before != null && before.equals(after)) {
      return UpdateControl.<NodeAddressPolicy>noUpdate().rescheduleAfter(interval);
    }
    policy.setStatus(after);
    return UpdateControl.patchStatus(policy).rescheduleAfter(interval);
  }

  private void forget(String policy) {
    reporter.forget(policy);
    pool.release(policy);
  }

  @Override
  public List<EventSource<?, NodeAddressPolicy>> prepareEventSources(EventSourceContext<NodeAddressPolicy> context) {
    var config = InformerEventSourceConfiguration.from(Node.class, NodeAddressPolicy.class)
        .withName("nodes")
        .withItemStore(nodeStore)
        // Listed in pages: a page of full Nodes (images, conditions: tens of KiB each) is slimmed into the
        // store before the next is read, so 5,000 Nodes never sit whole in the heap at once.
        .withInformerListLimit(NODE_LIST_PAGE)
        // kubelets rewrite Node status every few seconds; only what classification reads matters
        .withOnUpdateFilter((newNode, oldNode) -> !NodeInfos.from(newNode).equals(NodeInfos.from(oldNode)))
        .withSecondaryToPrimaryMapper(node -> policiesConcerning(node, context))
        .build();
    return List.of(new InformerEventSource<>(config, context));
  }

  /** The policies a Node change can affect: those that select it, and those whose members sit on it. */
  static Set<ResourceID> policiesConcerning(Node node, EventSourceContext<NodeAddressPolicy> context) {
    String nodeName = node.getMetadata().getName();
    var labels = node.getMetadata().getLabels() == null ? java.util.Map.<String, String>of() : node.getMetadata().getLabels();
    return context.getPrimaryCache().list()
        .filter(p -> selects(p, labels) || hasMemberOn(p, nodeName))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean selects(NodeAddressPolicy policy, java.util.Map<String, String> labels) {
    LabelSelector selector = policy.getSpec() == null || policy.getSpec().getNodeSelector() == null
        ? Defaults.nodeSelector() : policy.getSpec().getNodeSelector();
    try {
      return LabelSelectors.matches(selector, labels);
    } catch (IllegalArgumentException invalid) {
      return false;
    }
  }

  private static boolean hasMemberOn(NodeAddressPolicy policy, String nodeName) {
    return policy.getStatus() != null && policy.getStatus().getMembers().stream()
        .map(MemberStatus::getNode).anyMatch(n -> Objects.equals(n, nodeName));
  }
}
