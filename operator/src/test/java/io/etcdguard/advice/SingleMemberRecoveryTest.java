package io.etcdguard.advice;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.ChildProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd facts the single-member advice rests on (docs/reasons.md, "How the fix is chosen"), on a real etcd 3.4
 * member on loopback: a stopped single member starts again listening on a new address (with a data directory the
 * initial-* flags are ignored, so its registered peer URL stays) and moves itself there with {@code member update},
 * keeping its data; {@code --force-new-cluster} does not change the registered peer URL, so it is never the fix.
 */
class SingleMemberRecoveryTest {
  private static final Path ETCD = Path.of("/usr/bin/etcd");
  private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration ETCDCTL_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopTheMembersThisTestStarted() {
    started.forEach(p -> ChildProcesses.stop(p, Duration.ofSeconds(5)));
  }

  @Test
  void aStoppedSingleMemberStartsOnItsNewAddressAndMovesItselfKeepingItsData() throws Exception {
    String clientUrl = "http://127.0.0.1:" + freePort("127.0.0.1");
    String oldPeerUrl = "http://127.0.0.2:" + freePort("127.0.0.2");
    String newPeerUrl = "http://127.0.0.3:" + freePort("127.0.0.3");
    String idHex = registeredWithAKeyThenStopped(oldPeerUrl, clientUrl);

    startMember(newPeerUrl, clientUrl);
    assertThat(onlyMember(clientUrl)[3]).as("a restart with a data directory keeps the registered peer URL").isEqualTo(oldPeerUrl);

    etcdctl(clientUrl, "member", "update", idHex, "--peer-urls=" + newPeerUrl);

    assertThat(onlyMember(clientUrl)).as("the only member commits its own update").containsSequence(idHex, "started", "solo", newPeerUrl);
    assertThat(etcdctl(clientUrl, "get", "registry/key", "--print-value-only").strip()).isEqualTo("kept");
  }

  @Test
  void forceNewClusterKeepsTheRegisteredPeerUrlOfTheMemberItStarts() throws Exception {
    String clientUrl = "http://127.0.0.1:" + freePort("127.0.0.1");
    String oldPeerUrl = "http://127.0.0.2:" + freePort("127.0.0.2");
    String newPeerUrl = "http://127.0.0.3:" + freePort("127.0.0.3");
    registeredWithAKeyThenStopped(oldPeerUrl, clientUrl);

    startMember(newPeerUrl, clientUrl, "--force-new-cluster");

    assertThat(onlyMember(clientUrl)[3]).isEqualTo(oldPeerUrl).isNotEqualTo(newPeerUrl);
    assertThat(etcdctl(clientUrl, "get", "registry/key", "--print-value-only").strip()).isEqualTo("kept");
  }

  /**
   * The single member started on {@code peerUrl}, the key {@code registry/key} written, then stopped: its data
   * directory remembers the member and the key. Returns the member's ID (hex).
   */
  private String registeredWithAKeyThenStopped(String peerUrl, String clientUrl) throws Exception {
    Process first = startMember(peerUrl, clientUrl);
    etcdctl(clientUrl, "put", "registry/key", "kept");
    String idHex = onlyMember(clientUrl)[0];
    ChildProcesses.stop(first, Duration.ofSeconds(5));
    return idHex;
  }

  private Process startMember(String peerUrl, String clientUrl, String... extra) throws Exception {
    List<String> command = new ArrayList<>(List.of(ETCD.toString(), "--name", "solo", "--data-dir", dir.resolve("data").toString(),
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "solo=" + peerUrl,
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl, "--logger", "zap", "--log-outputs", "stderr"));
    command.addAll(Arrays.asList(extra));
    Path log = dir.resolve("etcd-" + started.size() + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(process);
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (run(clientUrl, "endpoint", "health").exitCode != 0) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new AssertionError("etcd on " + peerUrl + " did not become healthy; see " + log + ":\n"
            + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return process;
  }

  /** The single line of `member list -w simple`, split: id, status, name, peer URLs, client URLs, learner. */
  private static String[] onlyMember(String clientUrl) throws Exception {
    List<String> lines = etcdctl(clientUrl, "member", "list", "-w", "simple").strip().lines().toList();
    assertThat(lines).hasSize(1);
    return lines.get(0).split(", ");
  }

  private static String etcdctl(String clientUrl, String... args) throws Exception {
    Result result = run(clientUrl, args);
    if (result.exitCode != 0) {
      throw new AssertionError("etcdctl " + String.join(" ", args) + " failed: " + result.output);
    }
    return result.output;
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String clientUrl, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=" + clientUrl, "--command-timeout=5s"));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ETCDCTL_API", "3");
    Process process = builder.start();
    if (!process.waitFor(ETCDCTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      ChildProcesses.stop(process, Duration.ofSeconds(1));
      return new Result(-1, "timed out after " + ETCDCTL_TIMEOUT);
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static int freePort(String ip) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
      return socket.getLocalPort();
    }
  }
}
