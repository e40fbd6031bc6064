package io.etcdguard.etcd;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * etcd could not be asked: the message names the endpoints and says why in words an operator can act on,
 * without a stack trace; {@link #kind()} gives the reason to code.
 */
public class EtcdAccessException extends Exception {
  /** Why etcd could not be asked. */
  public enum Kind {
    CONNECTION_REFUSED("connection refused"),
    TIMEOUT("timeout"),
    DNS_FAILURE("DNS failure"),
    /** The server's certificate did not verify against our CA (another CA, wrong address, expired). */
    TLS_UNTRUSTED_SERVER("TLS: server certificate not trusted"),
    /** etcd refused the client certificate we sent, or wanted one and got none. */
    TLS_CLIENT_CERTIFICATE_REJECTED("TLS: client certificate rejected"),
    TLS_HANDSHAKE_FAILED("TLS handshake failed"),
    CONNECTION_FAILED("connection failed"),
    /** etcd answered, with an error. */
    ETCD_ERROR("etcd error"),
    INTERRUPTED("interrupted");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Kind kind;
  private final List<URI> endpoints;
  private final String detail;

  public EtcdAccessException(Kind kind, List<URI> endpoints, String detail, Throwable cause) {
    super("etcd at " + endpoints.stream().map(URI::toString).collect(Collectors.joining(", ")) + ": "
        + kind.label() + ": " + detail, cause);
    this.kind = kind;
    this.endpoints = List.copyOf(endpoints);
    this.detail = detail;
  }

  /** Why, without the endpoints and the kind's label: "nothing listens at 10.0.0.1:2379". */
  public String detail() {
    return detail;
  }

  public Kind kind() {
    return kind;
  }

  public List<URI> endpoints() {
    return endpoints;
  }
}
