package io.etcdguard.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.etcdguard.api.v1alpha1.AddressFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random fuzz of peer-URL parsing and classification: random and mutated URLs (IPv6 with zones,
 * brackets, ports, percent-escapes, garbage, unicode). PeerAddress.parse either parses or says why with an
 * IllegalArgumentException; the classifier never throws and gives every member a verdict.
 * Re-run one failure with -Dfuzz.seed=SEED (printed on failure).
 */
class PeerAddressFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 0x11_2026L);
  static final int CASES = Integer.getInteger("fuzz.cases", 4000);

  static final String[] SEEDS = {
      "https://192.168.1.30:2380", "https://[fd00:c0ff:ee:0:da69:8213:dd0b:aac3]:2380", "https://[fe80::1%25eth0]:2380",
      "http://[::ffff:192.168.1.30]:2380", "https://etcd-1.example:2380", "https://[2001:db8::1]", "unix://etcd.sock",
      "https://192.168.1.30", "https://[fe80::a%25en%20p0]:2380", "https://k3s-1:2380/path?q=1#f"};
  static final String[] FRAGMENTS = {
      "[", "]", ":", "%", "%25", "%zz", "%e2%82", "::", "://", "@", "/", "?", "#", " ", "\t", "\u0000", "\u00e9", "\u4e2d",
      "\ud83d\ude00", "\ud800", "\u202e", "-1", "99999999999", "0x7f.1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "fe80::", "::1",
      "[::1]", "[[::1]]", "%25", "eth0", "xn--nxasmq6b", "..", "user:pw@", "2380", ":0", ":65536", "\\", "\"", "'"};

  @Test
  void parsingEitherSucceedsOrSaysWhyAndClassificationNeverThrows() {
    Random random = new Random(SEED);
    NodeInfo node = new NodeInfo("losangeles", Map.of("node-role.kubernetes.io/etcd", "true"),
        Map.of("etcd.k3s.cattle.io/node-name", "losangeles-0ac72af5"), List.of("192.168.1.30", "fd00:c0ff:ee::30"), List.of("203.0.113.9"));
    NodeInfo other = new NodeInfo("k3s-1", Map.of(), Map.of(), List.of("192.168.1.31"), List.of());
    int parsed = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i += 4) {
      List<String> urls = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        urls.add(randomUrl(random));
      }
      for (String url : urls) {
        try {
          PeerAddress address = PeerAddress.parse(url);
          assertThat(address.display()).as(context(i, url)).isNotNull();
          parsed++;
        } catch (IllegalArgumentException e) {
          refused++;
          assertThat(e.getMessage()).as(context(i, url)).isNotBlank();
        } catch (Throwable t) {
          fail(context(i, url) + ": " + t, t);
        }
      }
      List<EtcdMember> members = List.of(
          new EtcdMember(i, "losangeles-0ac72af5", urls.subList(0, 2), List.of(urls.get(2)), false),
          new EtcdMember(i + 1L, random.nextBoolean() ? "" : "k3s-1-b2495bc5", urls.subList(2, 4), List.of(), random.nextBoolean()));
      Map<String, HostResolution> hostnames = new HashMap<>();
      for (String url : urls) {
        try {
          PeerAddress a = PeerAddress.parse(url);
          if (a.isHostname()) {
            hostnames.put(a.host(), random.nextBoolean()
                ? HostResolution.resolved(List.of(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, 30})))
                : HostResolution.failed(HostResolution.Failure.values()[random.nextInt(HostResolution.Failure.values().length)], "fuzz"));
          }
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
          // an unparsable URL has no hostname to resolve
        }
      }
      PolicyRules rules = new PolicyRules(AddressFamily.values()[random.nextInt(AddressFamily.values().length)],
          random.nextBoolean() ? List.of() : List.of(Cidr.parse("192.168.1.0/24"), Cidr.parse("fd00::/8")));
      try {
        List<MemberVerdict> verdicts = Classifier.classify(new ClusterView(members, List.of(node, other), hostnames), rules);
        assertThat(verdicts).as(context(i, String.join(" ", urls))).hasSize(2);
      } catch (Throwable t) {
        fail(context(i, String.join(" | ", urls)) + ": classifier threw " + t, t);
      }
    }
    assertThat(parsed).as("URLs parsed").isGreaterThan(CASES / 10);
    assertThat(refused).as("URLs refused").isGreaterThan(CASES / 10);
  }

  private static String context(int i, String url) {
    return "fuzz.seed=" + SEED + " case " + i + " url '" + url.replace("\u0000", "\\0") + "'";
  }

  static String randomUrl(Random random) {
    StringBuilder url = new StringBuilder(SEEDS[random.nextInt(SEEDS.length)]);
    int edits = random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(url.length() + 1);
      switch (random.nextInt(4)) {
        case 0 -> url.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 1 -> url.delete(at, Math.min(url.length(), at + 1 + random.nextInt(6)));
        case 2 -> url.insert(at, (char) random.nextInt(0x3000));
        default -> {
          if (at < url.length()) {
            url.setCharAt(at, (char) (url.charAt(at) ^ (1 << random.nextInt(7))));
          }
        }
      }
    }
    return url.toString();
  }
}
