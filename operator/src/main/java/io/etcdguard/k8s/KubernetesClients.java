package io.etcdguard.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The long-running processes' Kubernetes client, with bounded thread pools. fabric8's defaults are two unbounded
 * cached pools: the JDK HTTP client's executor (one thread per concurrent response, e.g. 100 policies' status
 * patches at once) and the client's task executor (informer event dispatch, watch reconnects). Both only run short
 * non-blocking steps (the JDK client does its I/O on its own selector thread; a blocking call waits on its caller's
 * thread), so two threads each suffice; work beyond them queues. Idle threads end after a minute.
 */
public final class KubernetesClients {
  /** Threads that complete HTTP responses (parse bodies, run callbacks). */
  public static final int HTTP_THREADS = 2;
  /** Threads that dispatch informer events and run the client's other asynchronous tasks. */
  public static final int TASK_THREADS = 2;

  private KubernetesClients() {}

  public static KubernetesClient bounded(Config config) {
    ExecutorService http = pool("k8s-http", HTTP_THREADS);
    return new KubernetesClientBuilder().withConfig(config)
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
