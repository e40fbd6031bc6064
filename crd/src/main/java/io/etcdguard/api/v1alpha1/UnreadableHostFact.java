package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** A fact the agent could not read (or read only approximately), and why. */
@JsonPropertyOrder({"fact", "reason"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class UnreadableHostFact {
  @Required
  @JsonPropertyDescription("What could not be read, e.g. address lifetimes.")
  private String fact;

  @Required
  @JsonPropertyDescription("Why, and what bound (if any) applies instead.")
  private String reason;
}
