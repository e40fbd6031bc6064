package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.Setter;

@JsonInclude(JsonInclude.Include.NON_NULL)
// fabric8's LabelSelectorRequirement types `operator` as a free string; the schema lists the four it may be.
@SchemaSwap(originalType = LabelSelectorRequirement.class, fieldName = "operator", targetType = SelectorOperator.class)
@Getter
@Setter
public class NodeAddressPolicySpec {

  /** Label selector used when the policy sets none: K3s and RKE2 label etcd nodes this way. */
  public static final String DEFAULT_NODE_SELECTOR_LABEL = "node-role.kubernetes.io/etcd";
  public static final String DEFAULT_CHECK_INTERVAL = "30s";
  public static final int MAX_ALLOWED_CIDRS = 64;
  /** The longest CIDR text, an IPv4-mapped IPv6 one such as ffff:...:ffff:255.255.255.255/128, is 49 characters. */
  public static final int MAX_CIDR_LENGTH = 64;

  @Required
  @JsonPropertyDescription("The etcd cluster to check: endpoints, timeouts and TLS client material.")
  private EtcdConnection etcd;

  @JsonPropertyDescription("Selects the Nodes that host etcd members. When absent the operator uses "
      + "node-role.kubernetes.io/etcd=true (K3s, RKE2); set node-role.kubernetes.io/control-plane for kubeadm.")
  private LabelSelector nodeSelector;

  @Default("Any")
  @JsonPropertyDescription("Address family every peer URL must use: IPv4, IPv6, or Any (then a member whose "
      + "family differs from the rest of the cluster or from its Node's first InternalIP is flagged).")
  private AddressFamily addressFamily = AddressFamily.Any;

  @JsonPropertyDescription("CIDRs a peer address must fall in, e.g. 192.168.1.0/24. Empty: no restriction.")
  // The bounds keep the rule's estimated cost within the API server's budget (it refuses the CRD otherwise).
  @Size(max = MAX_ALLOWED_CIDRS)
  @ValidationRule(value = "self.all(c, isCIDR(c))", message = "allowedCIDRs: every entry must be a CIDR such as 192.168.1.0/24 or fd00::/64")
  private List<@Size(max = MAX_CIDR_LENGTH) String> allowedCIDRs = new ArrayList<>();

  @Default(DEFAULT_CHECK_INTERVAL)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('5s')", message = "checkInterval must be at least 5s")
  @JsonPropertyDescription("How often the etcd member list is checked, as a Go duration (30s, 2m). Minimum 5s.")
  private String checkInterval = DEFAULT_CHECK_INTERVAL;

  /** Set only when the stored spec could not be read into these types (see {@link LenientSpecDeserializer}). */
  @JsonIgnore
  @Getter(AccessLevel.NONE)
  @Setter(AccessLevel.NONE)
  private String readProblem;
  /** The spec as stored, when unreadable: written back as it was, so a copy (JOSDK clones what it hands over) reads the same. */
  @JsonIgnore
  @Getter(AccessLevel.NONE)
  @Setter(AccessLevel.NONE)
  private tools.jackson.databind.JsonNode stored;

  /**
   * What made the stored spec unreadable, naming the field and its value (e.g. "spec.addressFamily: 'IPv5'
   * is not one of IPv4, IPv6, Any"), or null for a spec read as written.
   */
  public String readProblem() {
    return readProblem;
  }

  void setReadProblem(String readProblem, tools.jackson.databind.JsonNode stored) {
    this.readProblem = readProblem;
    this.stored = stored;
  }

  tools.jackson.databind.JsonNode stored() {
    return stored;
  }

  @Default("Warn")
  @JsonPropertyDescription("What to do with posture findings (an etcd server Node at risk of failing its next start): Warn"
      + " reports them (status.nodesAtRisk, condition RestartSafe, Events, metric); Enforce also counts each such Node as a"
      + " violation; Ignore does not judge the posture.")
  private PostureMode posture = PostureMode.Warn;
}
