package io.etcdguard.advice;

import java.util.List;

/**
 * The remedy for one non-compliant member.
 *
 * @param text one short paragraph: what to do, in order
 * @param steps the ordered steps, each one action with its exact command or config snippet
 * @param preconditions the facts the advice was computed from and what was checked (or must be checked)
 */
public record Fix(String text, List<String> steps, List<String> preconditions) {
  public Fix {
    steps = List.copyOf(steps);
    preconditions = List.copyOf(preconditions);
  }
}
