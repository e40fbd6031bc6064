package io.etcdguard.operator;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.k8s.NodeStore;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Node changes as JOSDK events: the {@link NodeStore}'s per-selector informers report a Node that entered, left or
 * changed under a selector, and each policy that change concerns is reconciled. The informers themselves start
 * with the first check of a policy with their selector, not here (see {@link NodeStore}); stopping the event source
 * stops them all.
 */
final class NodeEventSource extends AbstractEventSource<Node, NodeAddressPolicy> {
  private final NodeStore nodes;
  private final BiFunction<String, Node, Set<ResourceID>> concerned;

  /**
   * @param concerned the policies a change of a Node under a selector (its canonical text) concerns
   */
  NodeEventSource(NodeStore nodes, BiFunction<String, Node, Set<ResourceID>> concerned) {
    super(Node.class, "nodes");
    this.nodes = nodes;
    this.concerned = concerned;
  }

  @Override
  public void start() throws OperatorException {
    nodes.listener((selector, node) -> {
      if (isRunning()) {
        concerned.apply(selector, node).forEach(policy -> getEventHandler().handleEvent(new Event(policy)));
      }
    });
    super.start();
  }

  @Override
  public void stop() throws OperatorException {
    super.stop();
    nodes.close();
  }

  @Override
  public Set<Node> getSecondaryResources(NodeAddressPolicy policy) {
    return Set.of(); // the reconciler asks the NodeStore, with the policy's selector
  }
}
