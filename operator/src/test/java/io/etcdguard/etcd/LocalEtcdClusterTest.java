package io.etcdguard.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.etcdguard.classify.EtcdMember;
import io.etcdguard.etcd.EtcdAccessException.Kind;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.Processes;
import io.etcdguard.testkit.TestPki;
import io.etcdguard.testkit.TestPki.KeyFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single plain-http member, and what LocalEtcdCluster reports when etcd is missing or cannot start. */
class LocalEtcdClusterTest {
  private static final String MEMBER = "losangeles-0ac72af5";
  private static final String MEMBER_IP = "127.0.0.35";
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** Only a bound for an answer: the first call of a fresh JVM loads gRPC and Netty (over 2 s on a loaded machine). */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  static Path dir;
  private static LocalEtcdCluster plain;

  @BeforeAll
  static void startPlainMember() {
    plain = LocalEtcdCluster.builder(dir.resolve("plain")).member(MEMBER, MEMBER_IP).start();
  }

  @AfterAll
  static void stopPlainMember() {
    if (plain == null) {
      return;
    }
    List<Long> pids = plain.pids();
    plain.stop();
    assertThat(pids).hasSize(1).allSatisfy(pid ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
    assertThat(plain.member(MEMBER).dataDir()).doesNotExist();
    assertThat(Processes.runningWith(dir)).isEmpty();
  }

  @Test
  void servesPlainHttpOnItsLoopbackAddress() throws Exception {
    LocalEtcdCluster.MemberInfo member = plain.member(MEMBER);
    assertThat(member.clientUrl()).isEqualTo("http://" + MEMBER_IP + ":" + member.clientPort());
    assertThat(member.peerUrl()).isEqualTo("http://" + MEMBER_IP + ":" + member.peerPort());

    try (JetcdMemberSource source = new JetcdMemberSource(
        EtcdClientConfig.of(plain.clientEndpoints(), DIAL_TIMEOUT, ANSWER_TIMEOUT, null))) {
      MemberListing listing = source.listMembers();

      assertThat(listing.members()).containsExactly(new EtcdMember(plain.memberId(MEMBER), MEMBER,
          List.of(member.peerUrl()), List.of(member.clientUrl()), false));
    }
  }

  @Test
  void httpsAgainstPlainEtcdIsATlsFailure() {
    TestPki pki = TestPki.create(dir, List.of(MEMBER_IP));
    EtcdTlsMaterial tls = EtcdTlsMaterial.fromFiles(pki.caCert(), pki.client(KeyFormat.PKCS8_EC).cert(),
        pki.client(KeyFormat.PKCS8_EC).key());
    String endpoint = plain.member(MEMBER).clientUrl().replace("http://", "https://");

    EtcdAccessException failure;
    try (JetcdMemberSource source = new JetcdMemberSource(
        EtcdClientConfig.of(List.of(endpoint), DIAL_TIMEOUT, REQUEST_TIMEOUT, tls))) {
      failure = catchThrowableOfType(EtcdAccessException.class, source::listMembers);
    }

    // The plain server closes the connection on the ClientHello, or (under load, with the hello still unread)
    // resets it: either way the message points at plain http.
    if (failure.kind() == Kind.TLS_HANDSHAKE_FAILED) {
      assertThat(failure).hasMessage("etcd at " + endpoint + ": TLS handshake failed: etcd closed the connection "
          + "during the TLS handshake (is the endpoint plain http?)");
    } else {
      assertThat(failure.kind()).isEqualTo(Kind.CONNECTION_FAILED);
      assertThat(failure).hasMessageStartingWith("etcd at " + endpoint + ": connection failed: ")
          .hasMessageEndingWith("(is the endpoint plain http? then use http:// without TLS material)");
    }
  }

  @Test
  void missingEtcdBinaryNamesThePackage() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("no-binaries"));

    assertThatThrownBy(() -> LocalEtcdCluster.builder(dir.resolve("never")).member("m", "127.0.0.36")
        .binaryDirectory(empty).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("etcd not found: apt-get install -y etcd-server (looked in " + empty + ")");
  }

  @Test
  void memberThatCannotStartIsNamedWithItsLog() throws IOException {
    Path base = dir.resolve("broken");
    // A file where the member's data directory belongs: etcd exits at once.
    Files.createDirectories(base);
    Files.writeString(base.resolve("broken-member.etcd"), "not a directory");

    assertThatThrownBy(() -> LocalEtcdCluster.builder(base).member("broken-member", "127.0.0.36").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("etcd member broken-member exited with code 1 before it was healthy; last lines of "
            + base.resolve("broken-member.log") + ":\n")
        .hasMessageContaining("broken-member.etcd");
    assertThat(Processes.runningWith(base)).isEmpty();
  }
}
