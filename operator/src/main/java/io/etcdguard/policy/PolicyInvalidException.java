package io.etcdguard.policy;

import java.util.List;

/** A policy spec with problems; each problem names its field (spec.checkInterval: ...). */
public class PolicyInvalidException extends Exception {
  private final List<String> problems;

  public PolicyInvalidException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
