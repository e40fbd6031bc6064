package io.etcdguard.api.v1alpha1;

/** What a policy does with posture findings (a Node at risk of failing its next start). */
public enum PostureMode {
  /** Report them (status.nodesAtRisk, RestartSafe, Events, metric); members stay compliant. The default. */
  Warn,
  /** Report them and count each Node at risk as a violation (Compliant False). */
  Enforce,
  /** Do not judge the posture at all. */
  Ignore
}
