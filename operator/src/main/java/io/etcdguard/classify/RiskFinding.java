package io.etcdguard.classify;

/**
 * One posture finding about a Node.
 *
 * @param message the evidence (for RestartRisk it quotes the line K3s/RKE2 would log)
 * @param fix what to do, best first; null when the risk needs none on its own
 * @param predictedAddress the address an auto-detecting start would pick (RestartRisk), else null
 */
public record RiskFinding(Risk risk, String message, String fix, String predictedAddress) {}
