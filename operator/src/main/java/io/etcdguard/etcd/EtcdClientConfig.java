package io.etcdguard.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach etcd: client URLs, timeouts and TLS material.
 *
 * <p>All endpoints share one scheme: https needs TLS material (the system trust store is never used, etcd
 * CAs are private), and http with TLS material is refused because the material would silently go unused.
 *
 * @param endpoints client URLs such as {@code https://10.0.0.1:2379}; without a port 2379 is meant
 * @param dialTimeout how long to wait for a TCP connection to one endpoint
 * @param requestTimeout how long one request may take in total, connecting and TLS included
 * @param tls null for http endpoints
 */
public record EtcdClientConfig(List<URI> endpoints, Duration dialTimeout, Duration requestTimeout,
                               EtcdTlsMaterial tls) {
  public static final int DEFAULT_CLIENT_PORT = 2379;

  public EtcdClientConfig {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("etcd: at least one endpoint is required");
    }
    endpoints = List.copyOf(endpoints);
    requirePositive("dial timeout", dialTimeout);
    requirePositive("request timeout", requestTimeout);
    for (URI endpoint : endpoints) {
      boolean https = endpoint.getScheme().equals("https");
      if (https && tls == null) {
        throw new IllegalArgumentException("etcd endpoint " + endpoint + " needs TLS material (a CA, and a client "
            + "certificate when etcd runs with --client-cert-auth)");
      }
      if (!https && tls != null) {
        throw new IllegalArgumentException("etcd endpoint " + endpoint + " is plain http but TLS material is "
            + "configured (" + tls.source() + "): use https:// or drop the TLS settings");
      }
    }
  }

  /** The same settings for one of the endpoints. */
  public EtcdClientConfig forEndpoint(URI endpoint) {
    return new EtcdClientConfig(List.of(endpoint), dialTimeout, requestTimeout, tls);
  }

  /** Parses endpoint strings, naming the first bad one. */
  public static EtcdClientConfig of(List<String> endpoints, Duration dialTimeout, Duration requestTimeout,
      EtcdTlsMaterial tls) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("etcd: at least one endpoint is required");
    }
    List<URI> uris = new ArrayList<>();
    for (String endpoint : endpoints) {
      uris.add(parseEndpoint(endpoint));
    }
    return new EtcdClientConfig(uris, dialTimeout, requestTimeout, tls);
  }

  /**
   * The one rule for an etcd endpoint, shared by the policy's validation and the CLI's flags: http or
   * https, a host, a port 1-65535 (2379 when absent), nothing else.
   *
   * @return the endpoint as scheme://host:port
   * @throws IllegalArgumentException saying what is wrong with the endpoint
   */
  public static URI parseEndpoint(String text) {
    URI endpoint;
    try {
      endpoint = new URI(text == null ? "" : text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("etcd endpoint '" + text + "' is not a URL: " + e.getReason(), e);
    }
    String scheme = endpoint.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint
          + "' must start with http:// or https://, e.g. https://10.0.0.1:2379");
    }
    if (endpoint.getHost() == null) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' has no host");
    }
    boolean bareRoot = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
        || endpoint.getRawPath().equals("/");
    if (!bareRoot || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
        || endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint
          + "' must be scheme://host:port only, without user, path or query");
    }
    int port = endpoint.getPort() == -1 ? DEFAULT_CLIENT_PORT : endpoint.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' has port " + port + ", not 1-65535");
    }
    try {
      return new URI(scheme, null, endpoint.getHost(), port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' is not a URL: " + e.getMessage(), e);
    }
  }

  private static void requirePositive(String what, Duration duration) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("etcd " + what + " must be positive, got " + duration);
    }
  }
}
