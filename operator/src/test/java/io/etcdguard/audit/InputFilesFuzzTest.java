package io.etcdguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random fuzz of the input readers: the example files mutated thousands of ways (truncation, byte
 * flips, random bytes, deep nesting, huge numbers, spliced fragments, unicode). Every input is either read
 * or refused with an InputException whose single line names the file; nothing else may escape.
 * Re-run one failure with -Dfuzz.seed=SEED (printed on failure).
 */
class InputFilesFuzzTest {
  static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../docs/examples"));
  static final long SEED = Long.getLong("fuzz.seed", 0x11_2026L);
  static final int CASES = Integer.getInteger("fuzz.cases", 2000);

  @TempDir Path tmp;

  interface Reader {
    Object read(Path file) throws InputException;
  }

  record Target(String name, byte[] seed, Reader reader) {}

  @Test
  void mutatedInputsAreReadOrRefusedWithOneLineNamingTheFile() throws IOException {
    List<Target> targets = List.of(
        new Target("members", Files.readAllBytes(EXAMPLES.resolve("seed-members-temporary-ipv6.json")), InputFiles::readMembers),
        new Target("members-hex", ("{\"header\":{\"cluster_id\":\"ef37ad9dc622a7c4\"},\"members\":[{\"ID\":\"8211f1d0f64f3269\","
            + "\"name\":\"a\",\"peerURLs\":[\"https://[fe80::1%25eth0]:2380\"],\"isLearner\":false}]}").getBytes(StandardCharsets.UTF_8),
            InputFiles::readMembers),
        new Target("nodes", Files.readAllBytes(EXAMPLES.resolve("seed-nodes.json")), InputFiles::readNodes),
        new Target("nodes-yaml", nodesYaml(), InputFiles::readNodes),
        new Target("policy", Files.readAllBytes(EXAMPLES.resolve("policy-k3s-ipv4.yaml")), InputFiles::readPolicy));
    Random random = new Random(SEED);
    int read = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      Target target = targets.get(random.nextInt(targets.size()));
      StringBuilder how = new StringBuilder();
      byte[] input = mutate(target.seed(), random, how);
      Path file = tmp.resolve(target.name() + "-" + i);
      Files.write(file, input);
      try {
        target.reader().read(file);
        read++;
      } catch (InputException e) {
        refused++;
        assertThat(e.getMessage()).as(context(i, target, how)).startsWith(file + ": ").doesNotContain("\n", "\r");
      } catch (Throwable t) {
        fail(context(i, target, how) + ": " + t + "\n" + preview(input), t);
      }
      Files.delete(file);
    }
    // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
    assertThat(read).as("inputs read").isPositive();
    assertThat(refused).as("inputs refused").isGreaterThan(CASES / 4);
  }

  private static String context(int i, Target target, CharSequence how) {
    return "fuzz.seed=" + SEED + " case " + i + " (" + target.name() + ": " + how + ")";
  }

  static byte[] mutate(byte[] seed, Random random, StringBuilder how) {
    byte[] b = seed.clone();
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      int kind = random.nextInt(9);
      how.append(how.isEmpty() ? "" : ", ");
      switch (kind) {
        case 0 -> {
          int at = random.nextInt(b.length + 1);
          how.append("truncate@").append(at);
          b = java.util.Arrays.copyOf(b, at);
        }
        case 1 -> {
          int flips = 1 + random.nextInt(8);
          how.append("flip x").append(flips);
          for (int f = 0; f < flips && b.length > 0; f++) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 2 -> {
          byte[] noise = new byte[1 + random.nextInt(64)];
          random.nextBytes(noise);
          how.append("insert random x").append(noise.length);
          b = splice(b, random.nextInt(b.length + 1), noise);
        }
        case 3 -> {
          how.append("all random");
          b = new byte[random.nextInt(4096)];
          random.nextBytes(b);
        }
        case 4 -> {
          int depth = 100 + random.nextInt(2000);
          boolean array = random.nextBoolean();
          how.append("nest x").append(depth);
          String open = array ? "[" : "{\"a\":";
          String close = array ? "]" : "}";
          String deep = open.repeat(depth) + "1" + close.repeat(random.nextBoolean() ? depth : depth / 2);
          b = splice(b, structuralPoint(b, random), deep.getBytes(StandardCharsets.UTF_8));
        }
        case 5 -> {
          int digits = 1 + random.nextInt(3000);
          StringBuilder n = new StringBuilder(random.nextBoolean() ? "-" : "");
          for (int d = 0; d < digits; d++) {
            n.append((char) ('0' + random.nextInt(10)));
          }
          if (random.nextInt(4) == 0) {
            n.append(".5e").append(random.nextInt(100_000));
          }
          how.append("number of ").append(digits).append(" digits");
          b = replaceNumber(b, random, n.toString());
        }
        case 6 -> {
          String[] values = {"null", "true", "[]", "{}", "\"\"", "\"\u00e9\u4e2d\ud83d\ude00\"", "\"https://[fe80::1%eth0]:2380\"",
              "\"1234\"", "\"0x\"", "-0", "1e400", "\"\\ud800\"", "~", "&a", "*a", "!!binary AAAA", "? [a]\n: b"};
          String v = values[random.nextInt(values.length)];
          how.append("value ").append(v);
          b = replaceNumber(b, random, v);
        }
        case 7 -> {
          if (b.length > 1) {
            int from = random.nextInt(b.length);
            int len = Math.min(b.length - from, 1 + random.nextInt(200));
            byte[] part = java.util.Arrays.copyOfRange(b, from, from + len);
            how.append("duplicate ").append(len).append("@").append(from);
            b = splice(b, random.nextInt(b.length + 1), part);
          }
        }
        default -> {
          int at = b.length == 0 ? 0 : random.nextInt(b.length);
          int len = Math.min(b.length - at, random.nextInt(40));
          how.append("delete ").append(len).append("@").append(at);
          byte[] out = new byte[b.length - len];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + len, out, at, b.length - at - len);
          b = out;
        }
      }
    }
    return b;
  }

  /** Just after a ':' or '[' when there is one, so nesting lands where a value may start. */
  private static int structuralPoint(byte[] b, Random random) {
    List<Integer> points = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] == ':' || b[i] == '[') {
        points.add(i + 1);
      }
    }
    return points.isEmpty() ? random.nextInt(b.length + 1) : points.get(random.nextInt(points.size()));
  }

  /** Replaces a run of digits (an ID, an IP octet, a port) with the given text. */
  private static byte[] replaceNumber(byte[] b, Random random, String text) {
    List<int[]> runs = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] >= '0' && b[i] <= '9') {
        int start = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
          i++;
        }
        runs.add(new int[] {start, i});
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (runs.isEmpty()) {
      return splice(b, random.nextInt(b.length + 1), bytes);
    }
    int[] run = runs.get(random.nextInt(runs.size()));
    byte[] out = new byte[b.length - (run[1] - run[0]) + bytes.length];
    System.arraycopy(b, 0, out, 0, run[0]);
    System.arraycopy(bytes, 0, out, run[0], bytes.length);
    System.arraycopy(b, run[1], out, run[0] + bytes.length, b.length - run[1]);
    return out;
  }

  private static byte[] splice(byte[] b, int at, byte[] insert) {
    byte[] out = new byte[b.length + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at, out, at + insert.length, b.length - at);
    return out;
  }

  private static String preview(byte[] input) {
    String text = new String(input, 0, Math.min(input.length, 300), StandardCharsets.ISO_8859_1);
    return "input (" + input.length + " bytes, first 300 as Latin-1): " + text;
  }

  private static byte[] nodesYaml() {
    return """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Node
          metadata:
            name: losangeles
            labels: {node-role.kubernetes.io/etcd: "true", kubernetes.io/hostname: losangeles}
            annotations:
              etcd.k3s.cattle.io/node-name: losangeles-0ac72af5
              etcd.k3s.cattle.io/node-address: 192.168.1.30
          status:
            addresses:
            - {type: InternalIP, address: 192.168.1.30}
            - {type: InternalIP, address: "fd00:c0ff:ee::30"}
            conditions:
            - {type: Ready, status: "True"}
        """.getBytes(StandardCharsets.UTF_8);
  }
}
