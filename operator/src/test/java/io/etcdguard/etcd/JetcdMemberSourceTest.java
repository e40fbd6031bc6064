package io.etcdguard.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcdguard.classify.EtcdMember;
import io.etcdguard.etcd.EtcdAccessException.Kind;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.LocalEtcdCluster.MemberInfo;
import io.etcdguard.testkit.Processes;
import io.etcdguard.testkit.TestPki;
import io.etcdguard.testkit.TestPki.Issued;
import io.etcdguard.testkit.TestPki.KeyFormat;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.etcdguard.classify.MembershipHealth;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JetcdMemberSource against a real three-member etcd 3.4 cluster with client and peer TLS. */
class JetcdMemberSourceTest {
  private static final String LOSANGELES = "losangeles-0ac72af5";
  private static final String K3S_1 = "k3s-1-b2495bc5";
  private static final String K3S_2 = "k3s-2-5a3e0192";
  private static final Map<String, String> MEMBER_IPS =
      Map.of(LOSANGELES, "127.0.13.30", K3S_1, "127.0.13.31", K3S_2, "127.0.13.32");
  /** For sockets that are not etcd: nothing listening, or listening and never answering. */
  private static final String NOT_ETCD_IP = "127.0.13.33";
  private static final String TEMPORARY_IPV6_PEER_URL = "https://[fd00:c0ff:ee:0:da69:8213:dd0b:aac3]:2380";
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  @TempDir
  static Path dir;
  private static Path etcdDir;
  private static TestPki pki;
  private static LocalEtcdCluster cluster;
  private static EtcdTlsMaterial clientTls;

  @BeforeAll
  static void startCluster() {
    pki = TestPki.create(dir, List.copyOf(MEMBER_IPS.values()));
    etcdDir = dir.resolve("etcd");
    cluster = LocalEtcdCluster.builder(etcdDir)
        .member(LOSANGELES, MEMBER_IPS.get(LOSANGELES))
        .member(K3S_1, MEMBER_IPS.get(K3S_1))
        .member(K3S_2, MEMBER_IPS.get(K3S_2))
        .clusterToken("etcd-address-guard-test")
        .tokenGivingMemberIdAboveSignedRange()
        .tls(new LocalEtcdCluster.ServerTls(pki.caCert(), pki.server().cert(), pki.server().key()))
        .start();
    Issued client = pki.client(KeyFormat.SEC1_EC);
    clientTls = EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), client.key());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster == null) {
      return;
    }
    List<Long> pids = cluster.pids();
    cluster.stop();
    assertThat(pids).hasSize(3).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
    assertThat(Processes.runningWith(etcdDir)).isEmpty();
    assertThat(cluster.members()).allSatisfy(member -> assertThat(member.dataDir()).doesNotExist());
  }

  @Test
  void listsWhatEtcdctlLists() throws Exception {
    MemberListing listing = list(cluster.clientEndpoints(), clientTls);

    JsonNode etcdctl = etcdctlMemberList();
    List<EtcdMember> expected = StreamSupport.stream(etcdctl.path("members").spliterator(), false)
        .map(node -> new EtcdMember(node.path("ID").bigIntegerValue().longValue(), node.path("name").asString(),
            strings(node.path("peerURLs")), strings(node.path("clientURLs")), node.path("isLearner").asBoolean(false)))
        .toList();
    assertThat(listing.members()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(listing.members()).extracting(EtcdMember::name).containsExactlyInAnyOrder(LOSANGELES, K3S_1, K3S_2);
    for (EtcdMember member : listing.members()) {
      MemberInfo started = cluster.member(member.name());
      assertThat(member.peerUrls()).containsExactly(started.peerUrl());
      assertThat(member.clientUrls()).containsExactly(started.clientUrl());
      assertThat(member.learner()).isFalse();
    }
    BigInteger clusterId = etcdctl.path("header").path("cluster_id").bigIntegerValue();
    assertThat(listing.clusterIdHex()).isEqualTo(clusterId.toString(16));
    assertThat(Long.toUnsignedString(listing.clusterId())).isEqualTo(clusterId.toString());
  }

  @Test
  void readsMemberIdsAboveLongMaxValueUnsigned() throws Exception {
    MemberListing listing = list(cluster.clientEndpoints(), clientTls);

    List<BigInteger> etcdctlIds = StreamSupport.stream(etcdctlMemberList().path("members").spliterator(), false)
        .map(node -> node.path("ID").bigIntegerValue())
        .toList();
    assertThat(etcdctlIds).anyMatch(id -> id.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0);
    assertThat(listing.members()).extracting(EtcdMember::idHex)
        .containsExactlyInAnyOrderElementsOf(etcdctlIds.stream().map(id -> id.toString(16)).toList());
    // etcdctl's own hex rendering, first column of the simple format.
    List<String> etcdctlHexIds = cluster.etcdctl("member", "list").lines()
        .map(line -> line.substring(0, line.indexOf(',')))
        .toList();
    assertThat(listing.members()).extracting(EtcdMember::idHex).containsExactlyInAnyOrderElementsOf(etcdctlHexIds);
  }

  @Test
  void predictsTheMemberIdsEtcdAssigns() {
    for (MemberInfo member : cluster.members()) {
      assertThat(Long.toHexString(LocalEtcdCluster.initialMemberId(List.of(member.peerUrl()), cluster.clusterToken())))
          .as("member %s", member.name())
          .isEqualTo(Long.toHexString(cluster.memberId(member.name())));
    }
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void authenticatesWithEveryClientKeyFormat(KeyFormat format) throws Exception {
    Issued client = pki.client(format);
    assertThat(Files.readString(client.key())).startsWith(format.pemHeader());

    MemberListing listing = list(cluster.clientEndpoints(), EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(),
        client.key()));

    assertThat(listing.members()).hasSize(3);
  }

  @Test
  void acceptsTlsMaterialFromSecretData() throws Exception {
    Issued client = pki.client(KeyFormat.SEC1_EC);
    EtcdTlsMaterial fromSecret = EtcdTlsMaterial.fromSecretData("Secret kube-system/etcd-client", Map.of(
        "ca.crt", Files.readAllBytes(pki.caCert()),
        "tls.crt", Files.readAllBytes(client.cert()),
        "tls.key", Files.readAllBytes(client.key())));

    assertThat(list(cluster.clientEndpoints(), fromSecret).members()).hasSize(3);
  }

  @Test
  void twentyClientsShareTheBoundedOffloadThreads() throws Exception {
    List<String> endpoints = cluster.clientEndpoints();
    List<JetcdMemberSource> sources = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        // 20 distinct endpoint lists: every client resolves and connects its own channels
        List<String> list = List.of(endpoints.get(i % 3), endpoints.get((i / 3) % 3), endpoints.get((i + 1) % 3));
        JetcdMemberSource source = new JetcdMemberSource(config(list.subList(0, 1 + i % 3), clientTls));
        sources.add(source);
        assertThat(source.listMembers().members()).hasSize(3);
      }
      long offload = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && t.getName().startsWith("etcd-offload-")).count();
      assertThat(offload).isBetween(1L, (long) EtcdTransport.OFFLOAD_THREADS);
    } finally {
      sources.forEach(JetcdMemberSource::close);
    }
  }

  @Test
  void showsATemporaryIpv6PeerUrlAndItsRestoration() throws Exception {
    MemberInfo losangeles = cluster.member(LOSANGELES);
    try (JetcdMemberSource source = new JetcdMemberSource(config(cluster.clientEndpoints(), clientTls))) {
      try {
        cluster.updatePeerUrl(LOSANGELES, TEMPORARY_IPV6_PEER_URL);

        MemberListing drifted = source.listMembers();
        assertThat(member(drifted, LOSANGELES).peerUrls()).containsExactly(TEMPORARY_IPV6_PEER_URL);
        assertThat(member(drifted, K3S_1).peerUrls()).containsExactly(cluster.member(K3S_1).peerUrl());
        // Every member still serves a quorum read: the cluster kept quorum.
        assertThat(cluster.etcdctl("endpoint", "health")).contains("is healthy");
      } finally {
        cluster.updatePeerUrl(LOSANGELES, losangeles.peerUrl());
      }

      MemberListing restored = source.listMembers();
      assertThat(member(restored, LOSANGELES).peerUrls()).containsExactly(losangeles.peerUrl());
      assertThat(strings(etcdctlMember(LOSANGELES).path("peerURLs"))).containsExactly(losangeles.peerUrl());
    }
  }

  @Test
  void answersAtOnceWhenAStoppedMemberIsBack() throws Exception {
    MemberInfo k3s2 = cluster.member(K3S_2);
    try (JetcdMemberSource onlyK3s2 = new JetcdMemberSource(config(List.of(k3s2.clientUrl()), clientTls));
         JetcdMemberSource allMembers = new JetcdMemberSource(config(cluster.clientEndpoints(), clientTls))) {
      assertThat(onlyK3s2.listMembers().members()).hasSize(3);
      cluster.stopMember(K3S_2);
      try {
        // Six seconds of failed reconnects grow gRPC's backoff past four seconds: a kept channel would still
        // be waiting for its next attempt when the member is back.
        Instant downUntil = Instant.now().plus(Duration.ofSeconds(6));
        while (Instant.now().isBefore(downUntil)) {
          EtcdAccessException failure = failure(onlyK3s2);
          assertThat(failure.kind()).isEqualTo(Kind.CONNECTION_REFUSED);
          assertThat(failure).hasMessage("etcd at " + k3s2.clientUrl() + ": connection refused: nothing listens at "
              + k3s2.ip() + ":" + k3s2.clientPort());
          Thread.sleep(500);
        }
        assertThat(allMembers.listMembers().members()).hasSize(3);
      } finally {
        cluster.startMember(K3S_2);
      }

      assertThat(onlyK3s2.listMembers().members()).hasSize(3);
    }
  }

  @Test
  void serverCertificateOfAnotherCa() {
    EtcdTlsMaterial trustingOtherCa = EtcdTlsMaterial.fromFiles(pki.otherCaCert(),
        pki.client(KeyFormat.SEC1_EC).cert(), pki.client(KeyFormat.SEC1_EC).key());

    EtcdAccessException failure = failure(cluster.clientEndpoints(), trustingOtherCa);

    assertThat(failure.kind()).isEqualTo(Kind.TLS_UNTRUSTED_SERVER);
    assertThat(failure).hasMessage(allEndpoints() + ": TLS: server certificate not trusted: CN=etcd-server, "
        + "issued by CN=etcd-address-guard test CA, is not signed by the CA in file " + pki.otherCaCert()
        + " (CN=unrelated test CA)");
  }

  @Test
  void noClientCertificateAgainstClientCertAuth() {
    EtcdTlsMaterial caOnly = EtcdTlsMaterial.fromFiles(pki.caCert(), null, null);

    EtcdAccessException failure = failure(cluster.clientEndpoints(), caOnly);

    assertThat(failure.kind()).isEqualTo(Kind.TLS_CLIENT_CERTIFICATE_REJECTED);
    assertThat(failure).hasMessage(allEndpoints() + ": TLS: client certificate rejected: etcd wants a client "
        + "certificate and none is configured, only file " + pki.caCert() + " (TLS alert bad_certificate)");
  }

  @Test
  void clientCertificateOfAnotherCa() {
    Issued foreign = pki.clientOfOtherCa();
    EtcdTlsMaterial foreignClient = EtcdTlsMaterial.fromFiles(pki.caCert(), foreign.cert(), foreign.key());

    EtcdAccessException failure = failure(cluster.clientEndpoints(), foreignClient);

    assertThat(failure.kind()).isEqualTo(Kind.TLS_CLIENT_CERTIFICATE_REJECTED);
    assertThat(failure).hasMessage(allEndpoints() + ": TLS: client certificate rejected: etcd refused "
        + "CN=etcd-address-guard, issued by CN=unrelated test CA, from file " + foreign.cert()
        + " (TLS alert bad_certificate): it must be signed by the CA etcd trusts for clients (--trusted-ca-file)");
  }

  @Test
  void connectionRefused() throws IOException {
    int port = freePort();
    String endpoint = "https://" + NOT_ETCD_IP + ":" + port;

    EtcdAccessException failure = failure(List.of(endpoint), clientTls);

    assertThat(failure.kind()).isEqualTo(Kind.CONNECTION_REFUSED);
    assertThat(failure).hasMessage("etcd at " + endpoint + ": connection refused: nothing listens at "
        + NOT_ETCD_IP + ":" + port);
  }

  @Test
  void requestTimeoutWhenTheServerNeverAnswers() throws IOException {
    // The kernel completes the TCP handshake for the backlog; nobody ever answers the TLS ClientHello.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName(NOT_ETCD_IP))) {
      String endpoint = "https://" + NOT_ETCD_IP + ":" + silent.getLocalPort();
      long started = System.nanoTime();

      EtcdAccessException failure = failure(List.of(endpoint), clientTls);

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(REQUEST_TIMEOUT, REQUEST_TIMEOUT.multipliedBy(2));
      assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(failure).hasMessage("etcd at " + endpoint + ": timeout: no answer within 3s (request timeout)");
    }
  }

  @Test
  void concurrentCallsOnAHungEndpointWaitTogetherAndOtherEtcdsStayQuick() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName(NOT_ETCD_IP));
         JetcdMemberSource hung = new JetcdMemberSource(
             config(List.of("https://" + NOT_ETCD_IP + ":" + silent.getLocalPort()), clientTls));
         JetcdMemberSource healthy = new JetcdMemberSource(config(cluster.clientEndpoints(), clientTls))) {
      healthy.listMembers();
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try {
        long started = System.nanoTime();
        List<Future<Duration>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          calls.add(threads.submit(() -> {
            catchThrowable(hung::listMembers);
            return Duration.ofNanos(System.nanoTime() - started);
          }));
        }
        // While four checks wait on the hung etcd, another etcd answers as quickly as ever.
        Thread.sleep(200);
        long healthyStarted = System.nanoTime();
        assertThat(healthy.listMembers().members()).hasSize(3);
        // Held behind the hung calls it would take a whole request timeout; a bound that wide tolerates a loaded CI machine.
        assertThat(Duration.ofNanos(System.nanoTime() - healthyStarted)).isLessThan(REQUEST_TIMEOUT);

        List<Duration> took = new ArrayList<>();
        for (Future<Duration> call : calls) {
          took.add(call.get(10, TimeUnit.SECONDS));
        }
        // Not one after the other (3, 6, 9, 12 s): all end within the one request timeout (plus scheduling slack).
        assertThat(took).allSatisfy(d -> assertThat(d).isBetween(REQUEST_TIMEOUT, REQUEST_TIMEOUT.multipliedBy(2)));
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void aFrozenMemberIsSkippedWithinTheDeadlineAndReportedUnhealthy() throws Exception {
    MemberInfo frozen = cluster.member(K3S_2);
    List<String> frozenFirst = new ArrayList<>(List.of(frozen.clientUrl()));
    cluster.clientEndpoints().stream().filter(url -> !url.equals(frozen.clientUrl())).forEach(frozenFirst::add);
    try (JetcdMemberSource source = new JetcdMemberSource(config(frozenFirst, clientTls))) {
      assertThat(source.listMembers().members()).hasSize(3);
      cluster.pauseMember(K3S_2);
      try {
        long started = System.nanoTime();
        MemberListing listing = source.listMembers();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("MemberList with the first endpoint SIGSTOPped took " + took.toMillis() + " ms");
        assertThat(listing.members()).hasSize(3);
        // Another endpoint is asked after the hedge delay, long before the request timeout would end the call.
        assertThat(took).isLessThan(REQUEST_TIMEOUT);

        long healthStarted = System.nanoTime();
        MembershipHealth health = awaitHealth(source, h -> h.healthyVoters() == 2);
        System.out.println("Status of every member with one SIGSTOPped took "
            + Duration.ofNanos(System.nanoTime() - healthStarted).toMillis() + " ms (Status timeout: the dial "
            + "timeout, " + DIAL_TIMEOUT.toMillis() + " ms)");
        long frozenId = idOf(listing, K3S_2);
        MembershipHealth.Member frozenHealth = health.member(frozenId);
        assertThat(frozenHealth.reachable()).isFalse();
        assertThat(frozenHealth.error()).isEqualTo("etcd at " + frozen.clientUrl()
            + ": timeout: no Status answer within 1s (dial timeout)");
        assertThat(health.voters()).isEqualTo(3);
        assertThat(health.faultTolerance()).isZero();
        for (String other : List.of(LOSANGELES, K3S_1)) {
          assertThat(health.member(idOf(listing, other)).reachable()).as(other).isTrue();
        }
        // The next check goes straight to an endpoint that answered.
        long again = System.nanoTime();
        source.listMembers();
        // Asking the frozen endpoint first again would cost the hedge delay.
        assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(JetcdMemberSource.MAX_HEDGE_DELAY);
      } finally {
        cluster.resumeMember(K3S_2);
      }
      MembershipHealth recovered = awaitHealth(source, h -> h.healthyVoters() == 3);
      assertThat(recovered.faultTolerance()).isEqualTo(1);
    }
  }

  @Test
  void reportsTheLeaderTermVersionAndLagOfEveryMember() throws Exception {
    try (JetcdMemberSource source = new JetcdMemberSource(config(cluster.clientEndpoints(), clientTls))) {
      MemberListing listing = source.listMembers();
      MembershipHealth health = awaitHealth(source, h -> h.healthyVoters() == 3);

      JsonNode status = JsonMapper.shared().readTree(cluster.etcdctl("endpoint", "status", "-w", "json"));
      long etcdctlLeader = status.get(0).path("Status").path("leader").bigIntegerValue().longValue();
      assertThat(health.members().entrySet()).filteredOn(e -> e.getValue().leader())
          .singleElement().satisfies(e -> assertThat(e.getKey()).isEqualTo(etcdctlLeader));
      assertThat(health.voters()).isEqualTo(3);
      assertThat(health.faultTolerance()).isEqualTo(1);
      assertThat(health.quorumLost()).isFalse();
      for (EtcdMember member : listing.members()) {
        MembershipHealth.Member m = health.member(member.id());
        assertThat(m.reachable()).isTrue();
        assertThat(m.learner()).isFalse();
        assertThat(m.error()).isNull();
        assertThat(m.raftTerm()).isPositive();
        assertThat(m.lag()).isNotNull().isGreaterThanOrEqualTo(0L);
        assertThat(m.version()).startsWith("3.4.");
      }
    }
  }

  private static MembershipHealth awaitHealth(JetcdMemberSource source,
      java.util.function.Predicate<MembershipHealth> wanted) throws EtcdAccessException {
    Instant deadline = Instant.now().plusSeconds(15);
    MembershipHealth health = source.membershipHealth(source.listMembers());
    while (!wanted.test(health) && Instant.now().isBefore(deadline)) {
      health = source.membershipHealth(source.listMembers());
    }
    return health;
  }

  private static long idOf(MemberListing listing, String name) {
    return member(listing, name).id();
  }

  @Test
  void dialTimeoutWhenTheConnectionIsNeverAccepted() throws IOException {
    // A listener whose accept queue is full drops further SYNs: the TCP connect itself hangs.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName(NOT_ETCD_IP))) {
      List<Socket> queued = fillAcceptQueue(full);
      String endpoint = "https://" + NOT_ETCD_IP + ":" + full.getLocalPort();
      EtcdClientConfig shortDial = new EtcdClientConfig(List.of(URI.create(endpoint)),
          Duration.ofMillis(300), REQUEST_TIMEOUT, clientTls);

      EtcdAccessException failure;
      try (JetcdMemberSource source = new JetcdMemberSource(shortDial)) {
        failure = failure(source);
      } finally {
        for (Socket socket : queued) {
          socket.close();
        }
      }

      assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(failure).hasMessage("etcd at " + endpoint + ": timeout: TCP connect to " + NOT_ETCD_IP + ":"
          + full.getLocalPort() + " did not complete within 300ms (dial timeout)");
    }
  }

  @Test
  void unresolvableHostName() {
    String endpoint = "https://etcd.no-such-host.invalid:2379";

    EtcdAccessException failure = failure(List.of(endpoint), clientTls);

    assertThat(failure.kind()).isEqualTo(Kind.DNS_FAILURE);
    assertThat(failure).hasMessage("etcd at " + endpoint + ": DNS failure: cannot resolve etcd.no-such-host.invalid");
  }

  @Test
  void plainHttpAgainstTlsEtcd() {
    String endpoint = cluster.member(K3S_1).clientUrl().replace("https://", "http://");

    EtcdAccessException failure = failure(List.of(endpoint), null);

    assertThat(failure.kind()).isEqualTo(Kind.CONNECTION_FAILED);
    // The TLS server closes or resets the plain connection depending on timing; either way the hint is there.
    assertThat(failure).hasMessageStartingWith("etcd at " + endpoint + ": connection failed: ")
        .hasMessageEndingWith("(does etcd expect TLS? then use https:// and TLS material)");
  }

  private static MemberListing list(List<String> endpoints, EtcdTlsMaterial tls) throws EtcdAccessException {
    try (JetcdMemberSource source = new JetcdMemberSource(config(endpoints, tls))) {
      return source.listMembers();
    }
  }

  private static EtcdAccessException failure(List<String> endpoints, EtcdTlsMaterial tls) {
    try (JetcdMemberSource source = new JetcdMemberSource(config(endpoints, tls))) {
      return failure(source);
    }
  }

  private static EtcdAccessException failure(JetcdMemberSource source) {
    Throwable thrown = catchThrowable(source::listMembers);
    assertThat(thrown).isInstanceOf(EtcdAccessException.class);
    // One line, for a status condition or a log line, and no stack trace or exception class in it.
    assertThat(thrown.getMessage()).doesNotContain("\n").doesNotContain("Exception");
    return (EtcdAccessException) thrown;
  }

  private static EtcdClientConfig config(List<String> endpoints, EtcdTlsMaterial tls) {
    return EtcdClientConfig.of(endpoints, DIAL_TIMEOUT, REQUEST_TIMEOUT, tls);
  }

  private static String allEndpoints() {
    return "etcd at " + String.join(", ", cluster.clientEndpoints());
  }

  private static EtcdMember member(MemberListing listing, String name) {
    return listing.members().stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no member " + name + " in " + listing));
  }

  private static JsonNode etcdctlMemberList() {
    return JsonMapper.shared().readTree(cluster.etcdctl("member", "list", "-w", "json"));
  }

  private static JsonNode etcdctlMember(String name) {
    return StreamSupport.stream(etcdctlMemberList().path("members").spliterator(), false)
        .filter(node -> node.path("name").asString("").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("etcdctl lists no member " + name));
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(NOT_ETCD_IP))) {
      return socket.getLocalPort();
    }
  }

  /** Connects until the kernel stops completing handshakes for {@code listener}. */
  private static List<Socket> fillAcceptQueue(ServerSocket listener) throws IOException {
    List<Socket> queued = new ArrayList<>();
    for (int attempt = 0; attempt < 8; attempt++) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 200);
        queued.add(socket);
      } catch (SocketTimeoutException full) {
        socket.close();
        return queued;
      }
    }
    throw new IllegalStateException("the accept queue of " + listener + " never filled up: " + queued.size()
        + " connections queued");
  }
}
