package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretReference {
  /** DNS-1123 subdomain (Secret names) / label (namespaces). */
  static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  @Required
  @Pattern(DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @Required
  @Pattern(DNS_SUBDOMAIN)
  @JsonPropertyDescription("Namespace of the Secret (the policy is cluster-scoped, so it must be given).")
  private String namespace;

  public SecretReference() {}

  public SecretReference(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
