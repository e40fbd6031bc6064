package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.Getter;
import lombok.Setter;

@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class SecretReference {
  /** DNS-1123 subdomain: what Secret names must be. */
  static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final int DNS_SUBDOMAIN_MAX_LENGTH = 253;
  /** DNS-1123 label: what namespace names must be (no dots). */
  static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  static final int DNS_LABEL_MAX_LENGTH = 63;

  @Required
  @Pattern(DNS_SUBDOMAIN)
  @Size(max = DNS_SUBDOMAIN_MAX_LENGTH)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @Required
  @Pattern(DNS_LABEL)
  @Size(max = DNS_LABEL_MAX_LENGTH)
  @JsonPropertyDescription("Namespace of the Secret (the policy is cluster-scoped, so it must be given).")
  private String namespace;

  public SecretReference() {}

  public SecretReference(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }
}
