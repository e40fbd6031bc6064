package io.etcdguard.packaging;

import static org.awaitility.Awaitility.await;

import io.etcdguard.testkit.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (Debian's prometheus package) on a free loopback port, with its data in a given
 * folder, and the few HTTP API calls the tests make. Stopped by its process handle, never by name.
 */
final class PrometheusServer implements AutoCloseable {
  static final String INSTALL_HINT = "prometheus not found: apt-get install -y prometheus";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Process process;
  private final Path log;
  private final String url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread shutdownHook;

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.url = "http://127.0.0.1:" + port;
    // If the test JVM ends without @AfterAll (a killed fork), the server goes with it.
    this.shutdownHook = new Thread(this::stop, "prometheus-server-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Writes the configuration to {@code dir}, starts the server and returns once it is ready. */
  static PrometheusServer start(Path dir, String config) throws IOException {
    Path binary = binary();
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    Path log = dir.resolve("prometheus.log");
    int port = freeLoopbackPort();
    Process process = new ProcessBuilder(binary.toString(),
        "--config.file=" + configFile,
        "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    PrometheusServer server = new PrometheusServer(process, log, port);
    try {
      await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("prometheus exited with " + process.exitValue());
        }
        return server.ready();
      });
    } catch (RuntimeException e) {
      server.close();
      throw new AssertionError("Prometheus did not become ready on " + server.url + ": " + e.getMessage()
          + "\n--- prometheus log (tail) ---\n" + server.logTail(40), e);
    }
    return server;
  }

  static Path binary() {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
        return Path.of(dir, "prometheus");
      }
    }
    throw new AssertionError(INSTALL_HINT);
  }

  String url() {
    return url;
  }

  /** GET /api/v1/query: the whole response (status, data, error), read as JSON. */
  Map<String, Object> query(String promql) {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** The series of an instant query that must succeed. */
  List<Map<String, Object>> vector(String promql) {
    return Yaml.at(success(query(promql)), "data", "result");
  }

  /** The active (pending or firing) alerts, from GET /api/v1/alerts. */
  List<Map<String, Object>> alerts() {
    return Yaml.at(success(get("/api/v1/alerts")), "data", "alerts");
  }

  /** The alerting rules Prometheus loaded, from GET /api/v1/rules?type=alert (name, query, duration, ...). */
  List<Map<String, Object>> alertingRules() {
    List<Map<String, Object>> groups = Yaml.at(success(get("/api/v1/rules?type=alert")), "data", "groups");
    return groups.stream().flatMap(g -> Yaml.<List<Map<String, Object>>>at(g, "rules").stream()).toList();
  }

  /** Every metric name Prometheus has stored, from GET /api/v1/label/__name__/values. */
  List<String> metricNames() {
    return labelValues("__name__", null);
  }

  /** GET /api/v1/label/NAME/values, optionally restricted to the series a selector matches (as Grafana's label_values). */
  List<String> labelValues(String label, String matchSelector) {
    String query = matchSelector == null ? "" : "?match[]=" + URLEncoder.encode(matchSelector, StandardCharsets.UTF_8);
    return Yaml.at(success(get("/api/v1/label/" + label + "/values" + query)), "data");
  }

  /** The last lines of the server's log, for failure messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return all.subList(Math.max(0, all.size() - lines), all.size()).stream().collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it stops the server itself.
    }
  }

  private void stop() {
    ChildProcesses.stop(process, STOP_GRACE);
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Map<String, Object> get(String pathAndQuery) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      // Errors (400 bad_data, 422 execution) come back as JSON too: the caller decides what a failure means.
      return Yaml.jsonMap(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + pathAndQuery + " failed; prometheus log:\n" + logTail(20), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Object> success(Map<String, Object> response) {
    if (!"success".equals(response.get("status"))) {
      throw new AssertionError("Prometheus answered " + response);
    }
    return response;
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
