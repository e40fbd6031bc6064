package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** The one fix of a non-compliant member, computed from its primary reason, Node, distribution and the membership. */
@JsonPropertyOrder({"text", "steps", "preconditions"})
@Getter
@Setter
@EqualsAndHashCode
public class FixStatus {
  @JsonPropertyDescription("What to do, in order, in one paragraph.")
  private String text;

  @JsonPropertyDescription("The ordered steps, each with its exact command or config snippet.")
  private List<String> steps = new ArrayList<>();

  @JsonPropertyDescription("The facts the fix was computed from, and what was checked or must be checked first.")
  private List<String> preconditions = new ArrayList<>();

  public FixStatus() {}

  public FixStatus(String text, List<String> steps, List<String> preconditions) {
    this.text = text;
    this.steps = new ArrayList<>(steps);
    this.preconditions = new ArrayList<>(preconditions);
  }
}
