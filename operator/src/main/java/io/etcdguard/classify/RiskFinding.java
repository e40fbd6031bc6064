package io.etcdguard.classify;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One posture finding about a Node.
 *
 * @param message the evidence (for RestartRisk it quotes the line K3s/RKE2 would log)
 * @param fixSteps what to do, best first; empty when the risk needs nothing on its own
 * @param predictedAddress the address an auto-detecting start would pick (RestartRisk), else null
 */
public record RiskFinding(Risk risk, String message, List<String> fixSteps, String predictedAddress) {
  public RiskFinding {
    fixSteps = fixSteps == null ? List.of() : List.copyOf(fixSteps);
  }

  /** The fix as one text: a single step as it is, several numbered ("1. ... 2. ..."); null when there is none. */
  public String fix() {
    if (fixSteps.isEmpty()) {
      return null;
    }
    if (fixSteps.size() == 1) {
      return fixSteps.get(0);
    }
    return IntStream.range(0, fixSteps.size()).mapToObj(i -> (i + 1) + ". " + fixSteps.get(i)).collect(Collectors.joining(" "));
  }
}
