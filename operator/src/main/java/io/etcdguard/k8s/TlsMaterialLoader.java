package io.etcdguard.k8s;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.api.v1alpha1.SecretReference;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.etcd.TlsMaterialException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a policy's TLS material: a Secret or files in the pod.
 *
 * <p>A Secret is fetched with a {@code get} of that one Secret (the Role grants only {@code get} on it, by
 * name), at most once per {@link #DEFAULT_SECRET_TTL} for all the policies that name it, and parsed only when
 * its {@code resourceVersion} changed; a rotated Secret is therefore used within the TTL. Failures are not
 * cached: a missing or bad Secret is fetched again at the next check, so a fix shows at once.
 * docs/architecture.md says why this is not an informer.
 */
public class TlsMaterialLoader {
  /** How long a fetched Secret is used before it is fetched again. */
  public static final Duration DEFAULT_SECRET_TTL = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration ttl;
  private final Map<SecretKey, Cached> cache = new ConcurrentHashMap<>();

  public TlsMaterialLoader(KubernetesClient client) {
    this(client, Clock.systemUTC(), DEFAULT_SECRET_TTL);
  }

  public TlsMaterialLoader(KubernetesClient client, Clock clock, Duration ttl) {
    this.client = client;
    this.clock = clock;
    this.ttl = ttl;
  }

  private record SecretKey(String namespace, String name) {}

  private record Cached(String resourceVersion, EtcdTlsMaterial material, Instant fetchedAt) {}

  /**
   * @throws TlsMaterialException naming the Secret or file and key when the material is missing or bad
   */
  public EtcdTlsMaterial load(EtcdTls tls) {
    if (tls.getSecretRef() == null) {
      return EtcdTlsMaterial.fromFiles(Path.of(tls.getCaFile()),
          tls.getCertFile() == null ? null : Path.of(tls.getCertFile()),
          tls.getKeyFile() == null ? null : Path.of(tls.getKeyFile()));
    }
    SecretReference ref = tls.getSecretRef();
    SecretKey key = new SecretKey(ref.getNamespace(), ref.getName());
    Instant now = clock.instant();
    Cached cached = cache.get(key);
    if (cached != null && now.isBefore(cached.fetchedAt().plus(ttl))) {
      return cached.material();
    }
    String description = "Secret " + ref.getNamespace() + "/" + ref.getName();
    Secret secret;
    try {
      secret = client.secrets().inNamespace(ref.getNamespace()).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      cache.remove(key);
      throw new TlsMaterialException(description + " cannot be read: " + ApiFailures.reason(e));
    }
    if (secret == null) {
      cache.remove(key);
      throw new TlsMaterialException(description + " not found (spec.etcd.tls.secretRef)");
    }
    String resourceVersion = secret.getMetadata() == null ? null : secret.getMetadata().getResourceVersion();
    EtcdTlsMaterial material;
    if (cached != null && resourceVersion != null && Objects.equals(resourceVersion, cached.resourceVersion())) {
      material = cached.material();
    } else {
      try {
        material = parse(description, secret);
      } catch (TlsMaterialException bad) {
        cache.remove(key);
        throw bad;
      }
    }
    cache.put(key, new Cached(resourceVersion, material, now));
    return material;
  }

  private static EtcdTlsMaterial parse(String description, Secret secret) {
    Map<String, byte[]> data = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return EtcdTlsMaterial.fromSecretData(description, data);
  }
}
