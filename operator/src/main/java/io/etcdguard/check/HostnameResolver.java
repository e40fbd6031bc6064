package io.etcdguard.check;

import io.etcdguard.classify.HostResolution;
import io.etcdguard.classify.PeerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves peer URL hostnames with a hard bound: the JDK's resolver cannot be interrupted, so each
 * lookup runs on a daemon thread and a check never waits longer than the timeout for all of them.
 */
public final class HostnameResolver implements AutoCloseable {
  private final Duration timeout;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "etcdguard-dns");
    t.setDaemon(true);
    return t;
  });

  public HostnameResolver(Duration timeout) {
    this.timeout = timeout;
  }

  /** Hostnames (not IP literals) that appear in the given peer URLs. */
  public static Set<String> hostnamesIn(Collection<String> urls) {
    Set<String> hosts = new LinkedHashSet<>();
    for (String url : urls) {
      try {
        PeerAddress a = PeerAddress.parse(url);
        if (a.isHostname()) {
          hosts.add(a.host());
        }
      } catch (IllegalArgumentException ignored) {
        // the classifier reports unparseable URLs itself
      }
    }
    return hosts;
  }

  public Map<String, HostResolution> resolve(Collection<String> hostnames) {
    Map<String, CompletableFuture<HostResolution>> pending = new HashMap<>();
    for (String host : hostnames) {
      pending.put(host, CompletableFuture.supplyAsync(() -> lookup(host), pool));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, HostResolution> results = new HashMap<>();
    for (Map.Entry<String, CompletableFuture<HostResolution>> e : pending.entrySet()) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        results.put(e.getKey(), e.getValue().get(left, TimeUnit.NANOSECONDS));
      } catch (TimeoutException ex) {
        results.put(e.getKey(), HostResolution.failed(HostResolution.Failure.TIMEOUT, "no answer within " + timeout.toMillis() + "ms"));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        results.put(e.getKey(), HostResolution.failed(HostResolution.Failure.TIMEOUT, "interrupted"));
      } catch (ExecutionException ex) {
        results.put(e.getKey(), HostResolution.failed(HostResolution.Failure.NOT_FOUND, String.valueOf(ex.getCause())));
      }
    }
    return results;
  }

  private static HostResolution lookup(String host) {
    try {
      return HostResolution.resolved(Arrays.asList(InetAddress.getAllByName(host)));
    } catch (UnknownHostException e) {
      return HostResolution.failed(HostResolution.Failure.NOT_FOUND, "no such host");
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
