package io.etcdguard.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.etcd.EtcdAccessException.Kind;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.LocalEtcdCluster.MemberInfo;
import io.etcdguard.testkit.TestPki;
import io.etcdguard.testkit.TestPki.Issued;
import io.etcdguard.testkit.TestPki.KeyFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership health against real etcd 3.4 members with client and peer TLS: members killed, frozen and
 * added as learners. Each test leaves the clusters as it found them.
 */
@TestMethodOrder(OrderAnnotation.class)
class MembershipHealthTest {
  private static final List<String> THREE = List.of("a", "b", "c");
  private static final String SINGLE = "solo";
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SETTLE = Duration.ofSeconds(20);

  @TempDir
  static Path dir;
  private static LocalEtcdCluster three;
  private static LocalEtcdCluster single;
  private static EtcdTlsMaterial clientTls;

  @BeforeAll
  static void startClusters() {
    TestPki pki = TestPki.create(dir, List.of("127.0.13.40", "127.0.13.41", "127.0.13.42", "127.0.13.45"));
    LocalEtcdCluster.ServerTls serverTls =
        new LocalEtcdCluster.ServerTls(pki.caCert(), pki.server().cert(), pki.server().key());
    three = LocalEtcdCluster.builder(dir.resolve("three"))
        .member("a", "127.0.13.40").member("b", "127.0.13.41").member("c", "127.0.13.42")
        .clusterToken("membership-health-three").tls(serverTls).start();
    single = LocalEtcdCluster.builder(dir.resolve("single"))
        .member(SINGLE, "127.0.13.45").clusterToken("membership-health-single").tls(serverTls).start();
    Issued client = pki.client(KeyFormat.SEC1_EC);
    clientTls = EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), client.key());
  }

  @AfterAll
  static void stopClusters() {
    if (three != null) {
      three.stop();
    }
    if (single != null) {
      single.stop();
    }
  }

  @Test
  @Order(1)
  void healthyClusterHasOneLeaderAndToleratesOneFailure() throws Exception {
    try (JetcdMemberSource source = source(three)) {
      MembershipHealth health = awaitHealth(source, h -> h.healthyVoters() == 3);

      assertThat(health.voters()).isEqualTo(3);
      assertThat(health.faultTolerance()).isEqualTo(1);
      assertThat(health.members().values()).filteredOn(MembershipHealth.Member::leader).hasSize(1);
      assertThat(health.members().values()).allSatisfy(m -> {
        assertThat(m.reachable()).isTrue();
        assertThat(m.error()).isNull();
      });
    }
  }

  @Test
  @Order(2)
  void aLearnerAddedWithEtcdctlIsReportedAsLearnerAndDoesNotVote() throws Exception {
    addLearner("learner-d", "https://127.0.13.43:2380");
    try (JetcdMemberSource source = source(three)) {
      MemberListing listing = source.listMembers();
      EtcdMember learner = listing.members().stream().filter(EtcdMember::learner).findFirst().orElseThrow();
      try {
        MembershipHealth health = awaitHealth(source, h -> h.healthyVoters() == 3);

        assertThat(listing.members()).hasSize(4);
        assertThat(health.member(learner.id()).learner()).isTrue();
        // Added, never started: no client URL to ask.
        assertThat(health.member(learner.id()).reachable()).isNull();
        assertThat(health.voters()).isEqualTo(3);
        assertThat(health.faultTolerance()).isEqualTo(1);
      } finally {
        three.etcdctl("member", "remove", Long.toHexString(learner.id()));
      }
    }
  }

  @Test
  @Order(3)
  void oneMemberKilledIsUnreachableTheOthersAreStillCheckedAndNothingMoreMayFail() throws Exception {
    MemberInfo killed = three.member("c");
    try (JetcdMemberSource source = source(three)) {
      three.stopMember("c");
      try {
        MemberListing listing = source.listMembers();
        MembershipHealth health = awaitHealth(source, h -> h.healthyVoters() == 2);

        assertThat(listing.members()).hasSize(3);
        long killedId = idOf(listing, "c");
        assertThat(health.member(killedId).reachable()).isFalse();
        assertThat(health.member(killedId).error()).isEqualTo("etcd at " + killed.clientUrl()
            + ": connection refused: nothing listens at " + killed.ip() + ":" + killed.clientPort());
        assertThat(health.faultTolerance()).isZero();
        assertThat(health.quorumLost()).isFalse();
        for (String alive : List.of("a", "b")) {
          assertThat(health.member(idOf(listing, alive)).reachable()).as(alive).isTrue();
        }
      } finally {
        three.startMember("c");
      }
    }
  }

  @Test
  @Order(4)
  void twoOfThreeKilledIsQuorumLostThoughMemberListStillAnswers() throws Exception {
    try (JetcdMemberSource source = source(three)) {
      MemberListing before = source.listMembers();
      three.stopMember("b");
      three.stopMember("c");
      try {
        // etcd 3.4 answers MemberList from its local copy without quorum: the list alone looks fine.
        MemberListing listing = source.listMembers();
        assertThat(listing.members()).hasSize(3);

        MembershipHealth health = awaitHealth(source, MembershipHealth::quorumLost);

        assertThat(health.quorumLost()).isTrue();
        assertThat(health.faultTolerance()).isNegative();
        assertThat(health.healthyVoters()).isLessThan(2);
        assertThat(health.member(idOf(before, "b")).reachable()).isFalse();
        assertThat(health.member(idOf(before, "c")).reachable()).isFalse();
        assertThat(health.member(idOf(before, "a")).reachable()).isTrue();
      } finally {
        three.startStopped();
      }
      assertThat(awaitHealth(source, h -> h.healthyVoters() == 3).faultTolerance()).isEqualTo(1);
    }
  }

  @Test
  @Order(5)
  void aFrozenSingleMemberHoldsOnlyItsOwnCallersAndAnswersOnceResumed() throws Exception {
    try (JetcdMemberSource frozen = source(single); JetcdMemberSource other = source(three)) {
      assertThat(frozen.listMembers().members()).hasSize(1);
      single.pauseMember(SINGLE);
      try {
        Thread waiting = new Thread(() -> catchThrowable(frozen::listMembers));
        waiting.start();
        long started = System.nanoTime();
        assertThat(other.listMembers().members()).hasSize(3);
        // Held behind the frozen member's callers it would take a whole request timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REQUEST_TIMEOUT);

        long frozenStarted = System.nanoTime();
        Throwable failure = catchThrowable(frozen::listMembers);
        Duration took = Duration.ofNanos(System.nanoTime() - frozenStarted);
        assertThat(failure).isInstanceOf(EtcdAccessException.class);
        assertThat(((EtcdAccessException) failure).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(took).isBetween(REQUEST_TIMEOUT, REQUEST_TIMEOUT.multipliedBy(2));
        waiting.join(REQUEST_TIMEOUT.plusSeconds(2).toMillis());
        assertThat(waiting.isAlive()).isFalse();
      } finally {
        single.resumeMember(SINGLE);
      }
      // The next check after SIGCONT answers, on the same client.
      assertThat(frozen.listMembers().members()).hasSize(1);
      assertThat(awaitHealth(frozen, h -> h.healthyVoters() == 1).faultTolerance()).isZero();
    }
  }

  /**
   * etcd refuses reconfiguration ("unhealthy cluster") until every member has been connected for a few
   * seconds (--strict-reconfig-check): retry, bounded.
   */
  private static void addLearner(String name, String peerUrl) throws InterruptedException {
    Instant deadline = Instant.now().plus(SETTLE);
    while (true) {
      try {
        three.etcdctl("member", "add", name, "--learner", "--peer-urls=" + peerUrl);
        return;
      } catch (IllegalStateException e) {
        if (!e.getMessage().contains("unhealthy cluster") || Instant.now().isAfter(deadline)) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static JetcdMemberSource source(LocalEtcdCluster cluster) {
    return new JetcdMemberSource(EtcdClientConfig.of(cluster.clientEndpoints(), DIAL_TIMEOUT, REQUEST_TIMEOUT,
        clientTls));
  }

  /** Checks until the health is as wanted (raft settles in about a second) and returns the last one seen. */
  private static MembershipHealth awaitHealth(JetcdMemberSource source, Predicate<MembershipHealth> wanted)
      throws EtcdAccessException {
    Instant deadline = Instant.now().plus(SETTLE);
    while (true) {
      try {
        MembershipHealth health = source.membershipHealth(source.listMembers());
        if (wanted.test(health) || Instant.now().isAfter(deadline)) {
          return health;
        }
      } catch (EtcdAccessException e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
      }
    }
  }

  private static long idOf(MemberListing listing, String name) {
    return listing.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().id();
  }
}
