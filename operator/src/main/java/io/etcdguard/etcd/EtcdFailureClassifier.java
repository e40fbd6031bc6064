package io.etcdguard.etcd;

import io.etcd.jetcd.common.exception.EtcdException;
import io.etcdguard.etcd.EtcdAccessException.Kind;
import io.etcdguard.etcd.NamingTrustManager.ServerCertificateRejectedException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Turns what jetcd, gRPC, netty and the JDK throw into an {@link EtcdAccessException}. The shapes below were
 * provoked against etcd 3.4 (see JetcdMemberSourceTest): jetcd wraps gRPC's status in an EtcdException whose
 * cause, when there is one, is the transport's exception.
 */
public final class EtcdFailureClassifier {
  private static final String TLS_HINT = " (does etcd expect TLS? then use https:// and TLS material)";
  private static final String PLAIN_HINT = " (is the endpoint plain http? then use http:// without TLS material)";

  /** TLS alerts a server sends about the client's certificate; Go's TLS stack sends bad_certificate. */
  private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of("bad_certificate", "certificate_required",
      "unknown_ca", "certificate_unknown", "unsupported_certificate", "certificate_expired", "certificate_revoked",
      "access_denied");
  private static final Pattern RECEIVED_ALERT = Pattern.compile("Received fatal alert: (\\w+)");
  private static final int MAX_CAUSE_DEPTH = 32;

  private EtcdFailureClassifier() {
  }

  /**
   * The failures of one call that tried several endpoints. When every endpoint failed the same way the
   * message says it once for all of them; otherwise it says, per endpoint, what went wrong there, and the
   * kind is that of the first endpoint tried.
   */
  static EtcdAccessException classifyAll(Map<URI, Throwable> failures, EtcdClientConfig config) {
    if (failures.isEmpty()) {
      throw new IllegalArgumentException("no failure to classify");
    }
    Map<URI, EtcdAccessException> each = new LinkedHashMap<>();
    failures.forEach((endpoint, failure) -> each.put(endpoint, classify(failure, config.forEndpoint(endpoint))));
    EtcdAccessException first = each.values().iterator().next();
    boolean alike = each.values().stream()
        .allMatch(e -> e.kind() == first.kind() && e.detail().equals(first.detail()));
    if (alike) {
      return new EtcdAccessException(first.kind(), config.endpoints(), first.detail(), first.getCause());
    }
    String detail = each.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().kind().label() + ": " + e.getValue().detail())
        .collect(Collectors.joining("; "));
    return new EtcdAccessException(first.kind(), config.endpoints(), detail, first.getCause());
  }

  static EtcdAccessException classify(Throwable failure, EtcdClientConfig config) {
    List<URI> endpoints = config.endpoints();
    if (failure instanceof TimeoutException) {
      return new EtcdAccessException(Kind.TIMEOUT, endpoints,
          "no answer within " + human(config.requestTimeout()) + " (request timeout)", failure);
    }
    if (failure instanceof InterruptedException) {
      return new EtcdAccessException(Kind.INTERRUPTED, endpoints, "interrupted while waiting for etcd", failure);
    }
    List<Throwable> chain = causeChain(failure);
    // The JDK's SSLHandshakeException comes first in the chain: our trust manager's account is more precise.
    ServerCertificateRejectedException rejected = find(chain, ServerCertificateRejectedException.class);
    if (rejected != null) {
      return new EtcdAccessException(Kind.TLS_UNTRUSTED_SERVER, endpoints, rejected.description(), failure);
    }
    for (Throwable cause : chain) {
      EtcdAccessException classified = classifyCause(cause, failure, config);
      if (classified != null) {
        return classified;
      }
    }
    EtcdException etcd = find(chain, EtcdException.class);
    if (etcd == null) {
      return new EtcdAccessException(Kind.CONNECTION_FAILED, endpoints, describe(chain.get(chain.size() - 1)),
          failure);
    }
    String status = firstLine(etcd.getMessage());
    return switch (etcd.getErrorCode()) {
      // "Network closed for unknown reason": a TLS server hangs up on plain HTTP/2.
      case UNAVAILABLE -> new EtcdAccessException(Kind.CONNECTION_FAILED, endpoints, status
          + (config.tls() == null ? TLS_HINT : PLAIN_HINT), failure);
      default -> new EtcdAccessException(Kind.ETCD_ERROR, endpoints,
          "etcd answered " + etcd.getErrorCode() + ": " + status, failure);
    };
  }

  private static EtcdAccessException classifyCause(Throwable cause, Throwable failure, EtcdClientConfig config) {
    List<URI> endpoints = config.endpoints();
    if (cause instanceof ConnectTimeoutException) {
      return new EtcdAccessException(Kind.TIMEOUT, endpoints, "TCP connect to " + addressIn(cause)
          + " did not complete within " + human(config.dialTimeout()) + " (dial timeout)", failure);
    }
    if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
      return new EtcdAccessException(Kind.CONNECTION_REFUSED, endpoints,
          "nothing listens at " + addressIn(cause), failure);
    }
    if (cause instanceof SocketException) {
      // A TLS server either resets or closes a plain HTTP/2 connection, depending on timing; so does a plain
      // server a TLS ClientHello (closed: the ClosedChannelException below). A reset alone cannot tell a protocol
      // mismatch from a server that went away, so the kind stays a connection failure and the hint says which
      // mismatch to check.
      return new EtcdAccessException(Kind.CONNECTION_FAILED, endpoints, describe(cause)
          + (config.tls() == null ? TLS_HINT : PLAIN_HINT), failure);
    }
    if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
      return new EtcdAccessException(Kind.DNS_FAILURE, endpoints, "cannot resolve " + hostNames(endpoints), failure);
    }
    if (cause instanceof SSLException) {
      Matcher alert = RECEIVED_ALERT.matcher(String.valueOf(cause.getMessage()));
      if (alert.find() && CLIENT_CERTIFICATE_ALERTS.contains(alert.group(1))) {
        return new EtcdAccessException(Kind.TLS_CLIENT_CERTIFICATE_REJECTED, endpoints,
            clientCertificateRejection(config.tls(), alert.group(1)), failure);
      }
      return new EtcdAccessException(Kind.TLS_HANDSHAKE_FAILED, endpoints, firstLine(cause.getMessage()), failure);
    }
    if (cause instanceof ClosedChannelException && config.tls() != null) {
      return new EtcdAccessException(Kind.TLS_HANDSHAKE_FAILED, endpoints,
          "etcd closed the connection during the TLS handshake (is the endpoint plain http?)", failure);
    }
    return null;
  }

  private static String clientCertificateRejection(EtcdTlsMaterial tls, String alert) {
    if (!tls.hasClientCertificate()) {
      return "etcd wants a client certificate and none is configured, only " + tls.caDescription()
          + " (TLS alert " + alert + ")";
    }
    X509Certificate certificate = tls.clientCertificateChain().get(0);
    return "etcd refused " + certificate.getSubjectX500Principal() + ", issued by "
        + certificate.getIssuerX500Principal() + ", from " + tls.certChainDescription() + " (TLS alert " + alert
        + "): it must be signed by the CA etcd trusts for clients (--trusted-ca-file)";
  }

  /** The address in netty's "Connection refused: /127.0.0.1:2379" or "... after 500 ms: /127.0.0.1:2379". */
  private static String addressIn(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    int separator = message.lastIndexOf(": ");
    if (separator < 0) {
      return "the endpoint";
    }
    String address = message.substring(separator + 2);
    // InetSocketAddress prints "hostname/ip:port", or "/ip:port" without a name.
    return address.startsWith("/") ? address.substring(1) : address;
  }

  private static String hostNames(List<URI> endpoints) {
    List<String> names = endpoints.stream().map(URI::getHost)
        .filter(host -> !host.startsWith("[") && !host.matches("[0-9.]+"))
        .distinct()
        .toList();
    return names.isEmpty() ? "an endpoint host" : String.join(", ", names);
  }

  /** The failure and its causes, outermost first; a cycle or a chain deeper than 32 ends it. */
  public static List<Throwable> causeChain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && chain.size() < MAX_CAUSE_DEPTH && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static <T> T find(List<Throwable> chain, Class<T> type) {
    return chain.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
  }

  private static String describe(Throwable cause) {
    String message = firstLine(cause.getMessage());
    return message.isEmpty() ? cause.getClass().getSimpleName() : message;
  }

  /** Foreign messages (netty, Jackson) may carry a dump on further lines: keep the first. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  static String human(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
