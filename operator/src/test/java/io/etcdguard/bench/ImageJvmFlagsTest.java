package io.etcdguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.etcdguard.image.JavaArgsFile;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image's JVM flags (src/main/image/operator-java-args, the entrypoint's argument file) against a JDK
 * behaviour that costs a thread per Kubernetes API response: the JDK HTTP client (fabric8's) completes every
 * {@code sendAsync} in {@code CompletableFuture}'s default executor, which is a new thread per task when the common
 * pool's parallelism is 1, i.e. on a node or under a CPU limit of 2 or fewer CPUs. The operator writes a status
 * about 20 times a second at 100 policies and a 5 s interval. A child JVM on 2 CPUs sends requests to a loopback
 * server and counts the threads it started, with the image's flags and without the one that matters.
 */
class ImageJvmFlagsTest {
  static final String COMMON_POOL_PARALLELISM = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=";
  static final int REQUESTS = 40;

  @Test
  void withTheImagesFlagsHttpResponsesStartNoThreadEach() throws Exception {
    // The image's flags but its class-data archive, which belongs to the image's runtime, not this JVM.
    List<String> flags = JavaArgsFile.operatorTemplate(Path.of(".")).flagsWithout("-XX:SharedArchiveFile=");
    assertThat(flags).anyMatch(f -> f.startsWith(COMMON_POOL_PARALLELISM));

    long withImageFlags = threadsStartedFor(flags);
    List<String> without = new ArrayList<>(flags);
    without.removeIf(f -> f.startsWith(COMMON_POOL_PARALLELISM));
    long withoutTheFlag = threadsStartedFor(without);

    assertThat(withoutTheFlag).as("the JDK's behaviour this flag is for: one thread per response").isGreaterThanOrEqualTo(REQUESTS);
    assertThat(withImageFlags).as("the image: the common pool's few workers").isLessThan(10);
  }

  /** Threads the child started while sending {@link #REQUESTS} requests, on 2 CPUs. */
  static long threadsStartedFor(List<String> flags) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-XX:ActiveProcessorCount=2"));
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), SendRequests.class.getName()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes()).trim();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ends: " + out).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    String last = out.lines().reduce((a, b) -> b).orElseThrow();
    return Long.parseLong(last.substring(last.indexOf('=') + 1));
  }

  /** The child: a loopback server, a JDK HTTP client with a 2-thread executor as the operator's, sequential sendAsync. */
  public static final class SendRequests {
    public static void main(String[] args) throws Exception {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = "{}".getBytes();
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      ExecutorService executor = Executors.newFixedThreadPool(2);
      HttpClient client = HttpClient.newBuilder().executor(executor).build();
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS); // warm
      long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
      for (int i = 0; i < REQUESTS; i++) {
        client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
      }
      long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
      server.stop(0);
      executor.shutdownNow();
      System.out.println("threadsStarted=" + started);
    }
  }
}
