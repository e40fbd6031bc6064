package io.etcdguard.metrics;

import io.etcdguard.classify.NodePosture;
import io.etcdguard.classify.RiskFinding;

import io.etcdguard.check.CheckOutcome;
import io.etcdguard.classify.Finding;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.classify.MembershipHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The etcdguard_* metrics. Series are keyed by policy; a member's violation series exists only while it
 * violates, and everything of a policy goes when the policy does (docs/metrics.md lists them all).
 */
public final class PolicyMetrics {
  public static final String MEMBER_VIOLATION = "etcdguard.member.violation";
  public static final String MEMBER_INFO = "etcdguard.member.info";
  public static final String MEMBER_DIAGNOSIS = "etcdguard.member.diagnosis";
  public static final String POLICY_MEMBERS = "etcdguard.policy.members";
  public static final String POLICY_VIOLATIONS = "etcdguard.policy.violations";
  public static final String ETCD_UP = "etcdguard.etcd.up";
  public static final String CHECK_DURATION = "etcdguard.check.duration";
  public static final String CHECKS = "etcdguard.checks";
  public static final String MEMBER_UP = "etcdguard.member.up";
  public static final String MEMBER_IS_LEADER = "etcdguard.member.is.leader";
  public static final String QUORUM_VOTERS = "etcdguard.quorum.voters";
  public static final String QUORUM_HEALTHY_VOTERS = "etcdguard.quorum.healthy.voters";
  public static final String QUORUM_FAULT_TOLERANCE = "etcdguard.quorum.fault.tolerance";
  public static final String QUORUM_AT_RISK_VOTERS = "etcdguard.quorum.at.risk.voters";
  public static final String QUORUM_FAULT_TOLERANCE_AFTER_EXPIRY = "etcdguard.quorum.fault.tolerance.after.expiry";
  private static final Set<String> QUORUM_SERIES = Set.of(QUORUM_VOTERS, QUORUM_HEALTHY_VOTERS, QUORUM_FAULT_TOLERANCE,
      QUORUM_AT_RISK_VOTERS, QUORUM_FAULT_TOLERANCE_AFTER_EXPIRY);
  public static final String NODE_RISK = "etcdguard.node.risk";
  public static final String LAST_SUCCESSFUL_CHECK = "etcdguard.last.successful.check.timestamp";
  public static final String CLIENT_CERT_EXPIRY = "etcdguard.etcd.client.cert.expiry.timestamp";

  /** Few, fixed buckets: a check is a MemberList round trip plus microseconds of classification. */
  static final Duration[] CHECK_DURATION_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  /** Gauge values by meter id, per policy: strong references, since Micrometer holds gauge state weakly. */
  private final Map<String, Map<Meter.Id, GaugeValue>> gauges = new ConcurrentHashMap<>();
  private final Map<String, Set<Meter>> meters = new ConcurrentHashMap<>();
  /** A policy's per-member series: Micrometer's MultiGauge replaces the rows, dropping those not given again. */
  private final Map<String, MemberSeries> memberSeries = new ConcurrentHashMap<>();

  private record MemberSeries(MultiGauge info, MultiGauge violation, MultiGauge diagnosis, MultiGauge up,
                              MultiGauge leader) {
    static MemberSeries register(MeterRegistry registry, String policy) {
      return new MemberSeries(
          gauge(registry, policy, MEMBER_INFO, "1 per etcd member, with its ID, Node and first peer URL"),
          gauge(registry, policy, MEMBER_VIOLATION, "1 while the member violates the policy for this reason"),
          gauge(registry, policy, MEMBER_DIAGNOSIS, "1 per non-compliant member, labelled with its primary reason (the one to alert on)"),
          gauge(registry, policy, MEMBER_UP, "1 when the member answered Status itself, else 0"),
          gauge(registry, policy, MEMBER_IS_LEADER, "1 for the member the cluster follows as leader, else 0"));
    }

    private static MultiGauge gauge(MeterRegistry registry, String policy, String name, String description) {
      return MultiGauge.builder(name).description(description).tag("policy", policy).register(registry);
    }

    void replaceHealth(List<MultiGauge.Row<?>> upRows, List<MultiGauge.Row<?>> leaderRows) {
      up.register(upRows, true);
      leader.register(leaderRows, true);
    }

    void clear() {
      info.register(List.of(), true);
      violation.register(List.of(), true);
      diagnosis.register(List.of(), true);
      replaceHealth(List.of(), List.of());
    }
  }

  private static final class GaugeValue {
    volatile double value;
  }

  public PolicyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public synchronized void recordCheck(String policy, CheckOutcome.Kind outcome, Duration took) {
    Counter counter = Counter.builder(CHECKS).description("Checks of a policy, by outcome")
        .tags("policy", policy, "outcome", outcome.label()).register(registry);
    counter.increment();
    Timer timer = Timer.builder(CHECK_DURATION).description("Time to list members, classify and report, per policy")
        .tags("policy", policy).serviceLevelObjectives(CHECK_DURATION_BUCKETS).register(registry);
    timer.record(took);
    track(policy, counter);
    track(policy, timer);
    if (outcome == CheckOutcome.Kind.INVALID_POLICY) {
      // etcd was not asked: neither up nor down.
      removeWhere(policy, id -> id.getName().equals(ETCD_UP));
    } else {
      set(policy, ETCD_UP, "1 when etcd answered the last MemberList of the policy, else 0", Tags.of("policy", policy),
          outcome == CheckOutcome.Kind.ETCD_ERROR ? 0 : 1, null);
    }
    if (outcome != CheckOutcome.Kind.SUCCESS) {
      // Health seen before etcd stopped answering is no longer known.
      removeWhere(policy, id -> QUORUM_SERIES.contains(id.getName()));
      series(policy).replaceHealth(List.of(), List.of());
    }
  }

  /**
   * Replaces the health series of a policy: per member up and leader (members that were asked), and the
   * quorum figures. Unknown health removes them all: absent, never a made-up 1.
   */
  public synchronized void recordHealth(String policy, List<MemberVerdict> verdicts, MembershipHealth health) {
    Set<Meter.Id> wanted = new HashSet<>();
    List<MultiGauge.Row<?>> up = new ArrayList<>();
    List<MultiGauge.Row<?>> leader = new ArrayList<>();
    if (health.known()) {
      Tags byPolicy = Tags.of("policy", policy);
      wanted.add(set(policy, QUORUM_VOTERS, "Voting etcd members (learners do not vote)", byPolicy, health.voters(), null));
      wanted.add(set(policy, QUORUM_HEALTHY_VOTERS, "Voters that answered Status and follow the leader", byPolicy,
          health.healthyVoters(), null));
      wanted.add(set(policy, QUORUM_FAULT_TOLERANCE, "How many more voters may fail before quorum is lost; "
          + "negative: quorum is lost", byPolicy, health.faultTolerance(), null));
      wanted.add(set(policy, QUORUM_AT_RISK_VOTERS, "Healthy voters expected to fail: a temporary or vanished peer address,"
          + " or a next start predicted to fail", byPolicy, health.atRiskVoters(), null));
      wanted.add(set(policy, QUORUM_FAULT_TOLERANCE_AFTER_EXPIRY, "The fault tolerance once the at-risk voters have failed;"
          + " negative: quorum will be lost", byPolicy, health.faultToleranceAfterExpiry(), null));
      for (MemberVerdict v : verdicts) {
        MembershipHealth.Member member = health.member(v.member().id());
        if (member == null || member.reachable() == null) {
          continue;
        }
        Tags tags = Tags.of("member", v.member().started() ? v.member().name() : v.member().idHex(),
            "member_id", v.member().idHex());
        up.add(MultiGauge.Row.of(tags, member.reachable() ? 1 : 0));
        leader.add(MultiGauge.Row.of(tags, member.leader() ? 1 : 0));
      }
    }
    removeWhere(policy, id -> QUORUM_SERIES.contains(id.getName()) && !wanted.contains(id));
    series(policy).replaceHealth(up, leader);
  }

  public synchronized void recordSuccess(String policy, Instant at) {
    set(policy, LAST_SUCCESSFUL_CHECK, "Unix time of the policy's last successful check", Tags.of("policy", policy),
        at.toEpochMilli() / 1000.0, "seconds");
  }

  /**
   * The notAfter of the etcd client certificate the policy's last check loaded; null (no client
   * certificate, or material that did not load) removes the series.
   */
  public synchronized void recordClientCertificateExpiry(String policy, Instant notAfter) {
    if (notAfter == null) {
      remove(policy, new Meter.Id(CLIENT_CERT_EXPIRY, Tags.of("policy", policy), "seconds", null, Meter.Type.GAUGE));
      return;
    }
    set(policy, CLIENT_CERT_EXPIRY, "Unix time at which the etcd client certificate the policy uses expires (its notAfter)",
        Tags.of("policy", policy), notAfter.getEpochSecond(), "seconds");
  }

  /** Replaces the node risk series of a policy: 1 per etcd Node and risk found, no series for a Node without risk. */
  public synchronized void recordPostures(String policy, List<NodePosture> postures) {
    Set<Meter.Id> wanted = new HashSet<>();
    for (NodePosture posture : postures) {
      for (RiskFinding risk : posture.risks()) {
        wanted.add(set(policy, NODE_RISK, "1 while an etcd server Node has this posture risk (RestartRisk: its next start is predicted to fail)",
            Tags.of("policy", policy, "node", posture.nodeName(), "risk", risk.risk().name()), 1, null));
      }
    }
    removeWhere(policy, id -> id.getName().equals(NODE_RISK) && !wanted.contains(id));
  }

  /** Replaces the member series of a policy with those of the latest verdicts. */
  public synchronized void recordVerdicts(String policy, List<MemberVerdict> verdicts) {
    set(policy, POLICY_MEMBERS, "etcd members seen by the policy", Tags.of("policy", policy), verdicts.size(), null);
    set(policy, POLICY_VIOLATIONS, "members of the policy with at least one reason", Tags.of("policy", policy),
        verdicts.stream().filter(v -> !v.compliant()).count(), null);
    List<MultiGauge.Row<?>> info = new ArrayList<>();
    List<MultiGauge.Row<?>> violations = new ArrayList<>();
    List<MultiGauge.Row<?>> diagnoses = new ArrayList<>();
    for (MemberVerdict v : verdicts) {
      String member = v.member().started() ? v.member().name() : v.member().idHex();
      String node = v.nodeName() == null ? "" : v.nodeName();
      info.add(MultiGauge.Row.of(Tags.of("member", member, "member_id", v.member().idHex(), "node", node,
          "peer_url", v.member().peerUrls().isEmpty() ? "" : v.member().peerUrls().get(0)), 1));
      if (!v.compliant()) {
        diagnoses.add(MultiGauge.Row.of(Tags.of("member", member, "node", node, "reason", v.primaryReason().name()), 1));
      }
      for (String reason : v.findings().stream().map(Finding::reason).map(Enum::name).distinct().toList()) {
        violations.add(MultiGauge.Row.of(Tags.of("member", member, "node", node, "reason", reason), 1));
      }
    }
    // Resolved violations and removed members drop out: their rows are not given again.
    MemberSeries series = series(policy);
    series.info().register(info, true);
    series.violation().register(violations, true);
    series.diagnosis().register(diagnoses, true);
  }

  private MemberSeries series(String policy) {
    return memberSeries.computeIfAbsent(policy, p -> MemberSeries.register(registry, p));
  }

  /** Drops every series of a policy (it was deleted). */
  public synchronized void forget(String policy) {
    for (Meter.Id id : new HashSet<>(gauges.getOrDefault(policy, Map.of()).keySet())) {
      remove(policy, id);
    }
    for (Meter meter : meters.getOrDefault(policy, Set.of())) {
      registry.remove(meter);
    }
    MemberSeries members = memberSeries.remove(policy);
    if (members != null) {
      members.clear();
    }
    gauges.remove(policy);
    meters.remove(policy);
  }

  private Meter.Id set(String policy, String name, String description, Tags tags, double value, String unit) {
    Map<Meter.Id, GaugeValue> byId = gauges.computeIfAbsent(policy, p -> new HashMap<>());
    Meter.Id id = new Meter.Id(name, tags, unit, description, Meter.Type.GAUGE);
    GaugeValue holder = byId.get(id);
    if (holder == null) {
      GaugeValue fresh = new GaugeValue();
      Gauge.builder(name, fresh, g -> g.value).tags(tags).baseUnit(unit).description(description).strongReference(true).register(registry);
      byId.put(id, fresh);
      holder = fresh;
    }
    holder.value = value;
    return id;
  }

  private void removeWhere(String policy, java.util.function.Predicate<Meter.Id> unwanted) {
    for (Meter.Id id : new HashSet<>(gauges.getOrDefault(policy, Map.of()).keySet())) {
      if (unwanted.test(id)) {
        remove(policy, id);
      }
    }
  }

  private void remove(String policy, Meter.Id id) {
    registry.remove(id);
    gauges.getOrDefault(policy, new HashMap<>()).remove(id);
  }

  private void track(String policy, Meter meter) {
    meters.computeIfAbsent(policy, p -> new HashSet<>()).add(meter);
  }
}
