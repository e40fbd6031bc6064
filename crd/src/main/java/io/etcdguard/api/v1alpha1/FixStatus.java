package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The one fix of a non-compliant member, computed from its primary reason, Node, distribution and the membership. */
@JsonPropertyOrder({"text", "steps", "preconditions"})
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

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }

  public List<String> getSteps() {
    return steps;
  }

  public void setSteps(List<String> steps) {
    this.steps = steps;
  }

  public List<String> getPreconditions() {
    return preconditions;
  }

  public void setPreconditions(List<String> preconditions) {
    this.preconditions = preconditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FixStatus f && Objects.equals(text, f.text) && Objects.equals(steps, f.steps)
        && Objects.equals(preconditions, f.preconditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, steps, preconditions);
  }
}
