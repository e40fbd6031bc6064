package io.etcdguard.k8s;

import io.etcdguard.classify.NodeInfo;
import io.etcdguard.k8s.SlimItemStore.Indexed;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Nodes the policies select, watched by one Node informer per distinct nodeSelector (policies with equal
 * selectors share it), each restricted on the API server by that label selector. A cluster's etcd servers are a
 * handful of its Nodes: the operator never lists, receives or holds the thousands of workers (a list at
 * resourceVersion=0, as informers list, ignores the page size, so an unrestricted first list arrives whole).
 *
 * <p>A policy's Nodes are exactly the Nodes its selector selects, as with one informer over every Node: the
 * classifier sees the same input. An informer starts on the first check of a policy with that selector, and that
 * check waits for its first list (at most {@code syncTimeout}); until then it has no Nodes to give, and a check
 * without them would report every member as matching no Node, so it fails instead and is retried. An informer no
 * policy uses any more is stopped.
 *
 * <p>Each informer keeps its Nodes slim ({@link #slim}: name, UID, resourceVersion, labels, the etcd and distribution
 * annotations, addresses, kubelet version, OS image and the Ready condition's status) with their {@link NodeInfo} by name.
 */
public final class NodeStore implements AutoCloseable {
  /** How long a check waits for a new selector's first Node list before it fails (and is retried). */
  public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(30);
  /** Nodes per list request (honoured where the API server pages: not for lists at resourceVersion=0). */
  static final long LIST_PAGE = 500;
  private static final Logger LOG = LoggerFactory.getLogger(NodeStore.class);

  /** Told of every Node that enters, leaves or changes (in what classification reads) under a selector. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param selector the selector's {@link LabelSelectors#canonical} text ("" for all Nodes)
     * @param node the Node as the informer saw it
     */
    void nodeChanged(String selector, Node node);
  }

  private record Selection(LabelSelector selector, SlimItemStore<Node, NodeInfo> store, SharedIndexInformer<Node> informer,
      CompletableFuture<Void> listed) {}

  private final KubernetesClient client;
  private final Duration syncTimeout;
  private final Map<String, Selection> selections = new HashMap<>();
  private final Map<String, String> selectorOfPolicy = new HashMap<>();
  private volatile Listener listener = (selector, node) -> {};
  private boolean closed;

  public NodeStore(KubernetesClient client, Duration syncTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    if (syncTimeout.isNegative() || syncTimeout.isZero()) {
      throw new IllegalArgumentException("Node sync timeout must be positive, not " + syncTimeout);
    }
    this.syncTimeout = syncTimeout;
  }

  public void listener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * The Nodes {@code selector} selects (null: every Node), for {@code policy}, as classification inputs. Starts the
   * selector's informer if no policy used it yet and waits for its first list.
   *
   * @throws NodesUnavailableException when the Nodes could not be listed within the sync timeout
   */
  public List<NodeInfo> select(String policy, LabelSelector selector) {
    String key = LabelSelectors.canonical(selector);
    Selection selection = watch(policy, key, selector);
    awaitListed(key, selection);
    return selection.store().views().stream().filter(n -> LabelSelectors.matches(selector, n.labels())).toList();
  }

  /**
   * Starts the selector's informer for {@code policy} if none runs, without waiting for its first list: a check
   * calls this before it asks etcd, so the list and the etcd round trip overlap, then {@link #select}.
   */
  public void watch(String policy, LabelSelector selector) {
    watch(policy, LabelSelectors.canonical(selector), selector);
  }

  private synchronized Selection watch(String policy, String key, LabelSelector selector) {
    if (closed) {
      throw new NodesUnavailableException("the Node informers are stopped (the operator is shutting down)");
    }
    String previous = selectorOfPolicy.put(policy, key);
    Selection selection = selections.computeIfAbsent(key, k -> open(k, selector));
    if (previous != null && !previous.equals(key)) {
      closeIfUnused(previous);
    }
    return selection;
  }

  /** The policy is gone: its selector's informer stops if no other policy uses it. */
  public synchronized void forget(String policy) {
    String key = selectorOfPolicy.remove(policy);
    if (key != null) {
      closeIfUnused(key);
    }
  }

  /** The selectors watched now, as {@link LabelSelectors#canonical} text. */
  public synchronized List<String> selectors() {
    return selections.keySet().stream().sorted().toList();
  }

  /** The Node's classification input, if a watched selector selects it, else null. */
  public NodeInfo info(String name) {
    return firstFound(store -> store.view(name));
  }

  /** The slim Node by name, if a watched selector selects it, else null. */
  public Node byName(String name) {
    return firstFound(store -> store.get(name));
  }

  /** The first non-null answer of the watched selections' stores, in selector order, or null. */
  private <T> T firstFound(Function<SlimItemStore<Node, NodeInfo>, T> lookup) {
    for (Selection s : snapshot()) {
      T found = lookup.apply(s.store());
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  @Override
  public synchronized void close() {
    closed = true;
    selections.values().forEach(s -> s.informer().stop());
    selections.clear();
    selectorOfPolicy.clear();
  }

  private synchronized List<Selection> snapshot() {
    return List.copyOf(selections.values());
  }

  private Selection open(String key, LabelSelector selector) {
    SlimItemStore<Node, NodeInfo> store = newSlimStore();
    var nodes = selector == null ? client.nodes() : client.nodes().withLabelSelector(selector);
    SharedIndexInformer<Node> informer = nodes.withLimit(LIST_PAGE).runnableInformer(0).itemStore(store);
    informer.addEventHandler(new ResourceEventHandler<Node>() {
      @Override
      public void onAdd(Node node) {
        listener.nodeChanged(key, node);
      }

      @Override
      public void onUpdate(Node before, Node after) {
        // kubelets rewrite Node status every few seconds; only what classification reads matters
        if (!NodeInfos.from(before).equals(NodeInfos.from(after))) {
          listener.nodeChanged(key, after);
        }
      }

      @Override
      public void onDelete(Node node, boolean finalStateUnknown) {
        listener.nodeChanged(key, node);
      }
    });
    LOG.info("watching Nodes {}", LabelSelectors.describe(selector));
    return new Selection(selector, store, informer, informer.start().toCompletableFuture());
  }

  private void awaitListed(String key, Selection selection) {
    try {
      selection.listed().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      throw new NodesUnavailableException("Nodes " + LabelSelectors.describe(selection.selector()) + " not listed within "
          + syncTimeout.toSeconds() + " s; the check waits for them");
    } catch (ExecutionException failed) {
      synchronized (this) {
        if (selections.get(key) == selection) {
          selections.remove(key); // the next check starts a new informer
          selection.informer().stop();
        }
      }
      Throwable cause = failed.getCause() == null ? failed : failed.getCause();
      throw new NodesUnavailableException("cannot list Nodes " + LabelSelectors.describe(selection.selector()) + ": "
          + ApiFailures.reason(cause), cause);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new NodesUnavailableException("interrupted while listing Nodes " + LabelSelectors.describe(selection.selector()));
    }
  }

  private void closeIfUnused(String key) {
    if (!selectorOfPolicy.containsValue(key)) {
      Selection unused = selections.remove(key);
      if (unused != null) {
        LOG.info("no policy selects Nodes {} any more: informer stopped", LabelSelectors.describe(unused.selector()));
        unused.informer().stop();
      }
    }
  }

  /** An informer store that keeps Nodes {@link #slim} with their {@link NodeInfo} by name. */
  public static SlimItemStore<Node, NodeInfo> newSlimStore() {
    return new SlimItemStore<>(NodeStore::slim, node -> new Indexed<>(node.getMetadata().getName(), NodeInfos.from(node)));
  }

  /** Only the Ready condition, and of it only its status: its heartbeat times change every few seconds. */
  private static List<NodeCondition> slimReady(Node node) {
    List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    return conditions.stream().filter(c -> NodeInfo.READY_CONDITION.equals(c.getType())).findFirst()
        .map(c -> List.of(new NodeConditionBuilder().withType(NodeInfo.READY_CONDITION).withStatus(c.getStatus()).build()))
        .orElse(List.of());
  }

  /** Only the kubelet version and OS image of status.nodeInfo: they tell the distribution. */
  private static NodeSystemInfo slimSystemInfo(Node node) {
    NodeSystemInfo info = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
    if (info == null) {
      return null;
    }
    return new NodeSystemInfoBuilder().withKubeletVersion(info.getKubeletVersion()).withOsImage(info.getOsImage()).build();
  }

  /** What is left of a Node in the cache. */
  public static Node slim(Node node) {
    Map<String, String> annotations = new HashMap<>(NodeInfos.from(node).annotations());
    return new NodeBuilder()
        .withNewMetadata()
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .withResourceVersion(node.getMetadata().getResourceVersion())
        .withLabels(node.getMetadata().getLabels())
        .withAnnotations(annotations)
        .endMetadata()
        .withStatus(new NodeStatusBuilder()
            .withAddresses(node.getStatus() == null ? List.of() : node.getStatus().getAddresses())
            .withNodeInfo(slimSystemInfo(node))
            .withConditions(slimReady(node))
            .build())
        .build();
  }
}
