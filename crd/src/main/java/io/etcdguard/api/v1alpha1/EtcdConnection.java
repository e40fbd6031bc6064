package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import lombok.Getter;
import lombok.Setter;

@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class EtcdConnection {
  public static final String DEFAULT_DIAL_TIMEOUT = "5s";
  /** http(s)://host:port, host an IPv4, a bracketed IPv6 or a DNS name. */
  public static final String ENDPOINT_PATTERN = "^https?://(\\[[0-9a-fA-F:.%]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?/?$";
  /** More than any etcd cluster has members (etcd recommends at most 7). */
  public static final int MAX_ENDPOINTS = 16;
  /** An endpoint's port, when it has one: 1-65535 (the URL pattern above allows any 1-5 digits). */
  public static final String PORT_PATTERN =
      ":([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])/?$";
  /** A 253-character DNS name with scheme, port and slash still fits. */
  public static final int MAX_ENDPOINT_LENGTH = 512;

  @Required
  @JsonPropertyDescription("etcd client URLs, e.g. https://127.0.0.1:2379. Plain http:// is accepted for test clusters.")
  @Size(min = 1, max = MAX_ENDPOINTS)
  // A raw CEL string (r'...'): in a quoted CEL string the regex's \[ and \] are invalid escapes and the
  // API server refuses the whole CRD. The bounds keep the rule's estimated cost within the API
  // server's budget, which it computes from maxItems and maxLength.
  @ValidationRule(value = "self.all(e, e.matches(r'" + ENDPOINT_PATTERN + "'))",
      message = "etcd.endpoints: every endpoint must be a URL such as https://10.0.0.1:2379")
  @ValidationRule(value = "self.all(e, !e.matches(r':[0-9]+/?$') || e.matches(r'" + PORT_PATTERN + "'))",
      message = "etcd.endpoints: a port must be 1-65535")
  private List<@Size(max = MAX_ENDPOINT_LENGTH) String> endpoints = new ArrayList<>();

  @Default(DEFAULT_DIAL_TIMEOUT)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) <= duration('60s')", message = "etcd.dialTimeout must be at most 60s")
  @JsonPropertyDescription("How long to wait for a connection to etcd (Go duration, at most 60s).")
  private String dialTimeout = DEFAULT_DIAL_TIMEOUT;

  @JsonPropertyDescription("TLS client material: a Secret (keys ca.crt, tls.crt, tls.key) or file paths in the "
      + "operator's pod; one or the other, never both. Absent: plain http endpoints.")
  private EtcdTls tls;
}
