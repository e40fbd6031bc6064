package io.etcdguard.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object cut down to what the operator reads ({@code keep}) and, beside it,
 * a view derived once per change ({@code index}: the classification input) by a name, e.g. a Node's
 * {@link io.etcdguard.classify.NodeInfo} by Node name or a report's host model by the Node it is about. Objects
 * the index cannot read ({@code index} returns null) are kept but have no view.
 *
 * @param <T> the Kubernetes type the informer lists and watches
 * @param <V> the view classification reads
 */
public class SlimItemStore<T extends HasMetadata, V> implements ItemStore<T> {
  /** The view of one object and the name it is found by. */
  public record Indexed<V>(String name, V view) {}

  private final UnaryOperator<T> keep;
  private final Function<T, Indexed<V>> index;
  private final Map<String, T> byKey = new ConcurrentHashMap<>();
  private final Map<String, V> viewByName = new ConcurrentHashMap<>();
  private final Map<String, String> nameOfKey = new ConcurrentHashMap<>();

  /**
   * @param keep what is left of an object in the store (may return the object itself)
   * @param index the view of a kept object and its name, or null when it has none
   */
  public SlimItemStore(UnaryOperator<T> keep, Function<T, Indexed<V>> index) {
    this.keep = keep;
    this.index = index;
  }

  @Override
  public String getKey(T object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public T put(String key, T object) {
    T kept = keep.apply(object);
    forgetView(key);
    Indexed<V> indexed = index.apply(kept);
    if (indexed != null) {
      viewByName.put(indexed.name(), indexed.view());
      nameOfKey.put(key, indexed.name());
    }
    return byKey.put(key, kept);
  }

  @Override
  public T remove(String key) {
    forgetView(key);
    return byKey.remove(key);
  }

  private void forgetView(String key) {
    String name = nameOfKey.remove(key);
    if (name != null) {
      viewByName.remove(name);
    }
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return byKey.values().stream();
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public T get(String key) {
    return byKey.get(key);
  }

  /** The view by its name, or null. */
  public V view(String name) {
    return viewByName.get(name);
  }

  /** Every view (a live collection: copy it to keep a snapshot). */
  public Collection<V> views() {
    return viewByName.values();
  }

  /** A snapshot of the views by name. */
  public Map<String, V> viewsByName() {
    return Map.copyOf(viewByName);
  }
}
