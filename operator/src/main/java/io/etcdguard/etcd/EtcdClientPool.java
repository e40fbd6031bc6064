package io.etcdguard.etcd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd client per distinct endpoint set and TLS material, shared by the policies that use it,
 * reused across checks (also after failed ones: the client resets its connections' backoff itself) and
 * closed when its last policy goes (or moves to other settings). Checks on one client run concurrently.
 */
public final class EtcdClientPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdClientPool.class);

  /** A member source the pool can close. */
  public interface PooledSource extends EtcdMemberSource, AutoCloseable {
    @Override
    void close();
  }

  private final Function<EtcdClientConfig, PooledSource> factory;
  private final Map<String, PooledSource> clients = new HashMap<>();
  private final Map<String, String> keyByPolicy = new HashMap<>();

  public EtcdClientPool(Function<EtcdClientConfig, PooledSource> factory) {
    this.factory = factory;
  }

  /** The client for a policy's current settings; a policy whose settings changed lets go of the old one. */
  public synchronized EtcdMemberSource acquire(String policy, EtcdClientConfig config) {
    String key = keyOf(config);
    String previous = keyByPolicy.put(policy, key);
    if (previous != null && !previous.equals(key)) {
      closeIfUnused(previous);
    }
    return clients.computeIfAbsent(key, k -> {
      LOG.info("opening etcd client for {}", config.endpoints());
      return factory.apply(config);
    });
  }

  public synchronized void release(String policy) {
    String key = keyByPolicy.remove(policy);
    if (key != null) {
      closeIfUnused(key);
    }
  }

  /** Number of open clients, for tests and logs. */
  public synchronized int size() {
    return clients.size();
  }

  private void closeIfUnused(String key) {
    if (!keyByPolicy.containsValue(key)) {
      PooledSource client = clients.remove(key);
      if (client != null) {
        LOG.info("closing etcd client no policy uses any more");
        client.close();
      }
    }
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(PooledSource::close);
    clients.clear();
    keyByPolicy.clear();
  }

  /** Settings that need a separate client: endpoints, timeouts, and a digest of the TLS material (never the key itself). */
  static String keyOf(EtcdClientConfig config) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(config.endpoints().toString().getBytes(StandardCharsets.UTF_8));
      sha.update((config.dialTimeout() + "|" + config.requestTimeout()).getBytes(StandardCharsets.UTF_8));
      if (config.tls() != null) {
        sha.update(config.tls().caPem());
        if (config.tls().hasClientCertificate()) {
          sha.update(config.tls().certChainPem());
          sha.update(config.tls().keyPem());
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
