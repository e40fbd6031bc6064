package io.etcdguard.k8s;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The long-running processes' Kubernetes client, with bounded thread pools. fabric8's defaults are two unbounded
 * cached pools: the JDK HTTP client's executor (one thread per concurrent response, e.g. 100 policies' status
 * patches at once) and the client's task executor (informer event dispatch, watch reconnects). Both only run short
 * non-blocking steps (the JDK client does its I/O on its own selector thread; a blocking call waits on its caller's
 * thread), so two threads each suffice; work beyond them queues. Idle threads end after a minute.
 *
 * <p>Its serialization knows only the kinds the operator reads ({@link #KINDS}). fabric8's default finds every
 * kind on the class path the first time it needs one (a ServiceLoader over about 700 model classes, each loaded
 * and instantiated: about 0.3 s of CPU at start, on the start's critical path). The kinds matter only where
 * JSON names its own type: a watch event's object, and the Status of a watch error.
 */
public final class KubernetesClients {
  /** Threads that complete HTTP responses (parse bodies, run callbacks). */
  public static final int HTTP_THREADS = 2;
  /** Threads that dispatch informer events and run the client's other asynchronous tasks. */
  public static final int TASK_THREADS = 2;

  /**
   * The kinds the operator and the agent watch, read or write: Nodes, the two custom resources, Events, the
   * leader-election Lease, the TLS Secret, and Status (what a watch sends when it fails).
   */
  public static final List<Class<? extends KubernetesResource>> KINDS = List.of(Node.class, NodeAddressPolicy.class,
      NodeAddressReport.class, Event.class, Lease.class, Secret.class, Status.class);

  private KubernetesClients() {}

  public static KubernetesClient bounded(Config config) {
    ExecutorService http = pool("k8s-http", HTTP_THREADS);
    return new KubernetesClientBuilder().withConfig(config)
        .withKubernetesSerialization(serialization())
        .withHttpClientFactory(new JdkHttpClientFactory() {
          @Override
          protected HttpClient.Builder createNewHttpClientBuilder() {
            return HttpClient.newBuilder().executor(http);
          }

          @Override
          protected void closeHttpClient(JdkHttpClientImpl client) {
            // the executor is shared by every HTTP client this factory builds; its idle threads end by themselves
          }
        })
        .withTaskExecutor(pool("k8s-task", TASK_THREADS))
        .build();
  }

  /** fabric8's default serialization (the same mapper), with {@link #KINDS} registered instead of a class-path scan. */
  static KubernetesSerialization serialization() {
    KubernetesSerialization serialization = new KubernetesSerialization(
        JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule()).build(), false);
    KINDS.forEach(serialization::registerKubernetesResource);
    return serialization;
  }

  /** At most {@code threads} daemon threads, started on demand and ended after a minute idle; an unbounded queue. */
  static ExecutorService pool(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "etcdguard-" + name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
