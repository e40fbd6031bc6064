package io.etcdguard.testkit;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * fabric8's mock API server in CRUD mode, on loopback, with the NodeAddressPolicy CRD installed from the
 * generated YAML (the file the chart ships), and helpers to create K3s-like Nodes. For the demo and the
 * tests only: the mock server is a `provided` dependency, kept out of the shaded jar and the image.
 */
public final class MockApiServer implements AutoCloseable {
  /** The generated CRD, as the crd module's jar carries it. */
  public static final String CRD_RESOURCE = "META-INF/fabric8/nodeaddresspolicies.etcdguard.io-v1.yml";
  /** The node agents' report CRD (cluster-scoped), which the operator watches too. */
  public static final String REPORT_CRD_RESOURCE = "META-INF/fabric8/nodeaddressreports.etcdguard.io-v1.yml";

  private final KubernetesMockServer server;
  private final MockWebServer web;
  private final boolean https;
  private final KubernetesClient client;
  private final List<BiConsumer<String, String>> handledListeners = new CopyOnWriteArrayList<>();

  /** Plain HTTP on loopback. */
  public MockApiServer() throws IOException {
    this(false);
  }

  /**
   * With {@code https}, the server has a self-signed certificate for {@code localhost}, and a process can reach it
   * the way a pod reaches its API server ({@link #writeInClusterEnvironment(Path)}).
   */
  public MockApiServer(boolean https) throws IOException {
    this.https = https;
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    web = new MockWebServer();
    // CRUD for everything, except the few requests set up with expect() below.
    server = new KubernetesMockServer(new Context(), web, expectations, new KubernetesMixedDispatcher(expectations) {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = super.dispatch(request);
        handledListeners.forEach(listener -> listener.accept(request.getMethod(), request.getPath()));
        return response;
      }
    }, https);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // JOSDK asks, before leader election, whether it may use Leases; the CRUD store cannot answer a review.
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
            .withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .endStatus().build())
        .always();
    client = server.createClient();
    for (String resource : new String[] {CRD_RESOURCE, REPORT_CRD_RESOURCE}) {
      try (InputStream crd = MockApiServer.class.getClassLoader().getResourceAsStream(resource)) {
        if (crd == null) {
          throw new IOException(resource + " not on the classpath");
        }
        client.apiextensions().v1().customResourceDefinitions().load(crd).create();
      }
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * The mock server itself, for tests that inject faults: an {@code expect()} answer takes precedence over
   * the CRUD store (e.g. {@code server().expect().patch().withPath(".../status").andReturn(500, "...").times(3)}).
   */
  public KubernetesMockServer server() {
    return server;
  }

  /**
   * Calls {@code listener} with the method and path (with its query) of each request the server has handled (a
   * write stored, a read answered), on the server's thread, just before the answer is sent; until the returned
   * handle is closed. Lets a benchmark time a process by what it writes, without asking the process anything.
   */
  public Registration onHandled(BiConsumer<String, String> listener) {
    handledListeners.add(listener);
    return () -> handledListeners.remove(listener);
  }

  /** A listener's registration: closing it removes the listener. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** http://127.0.0.1:port (https with {@link #MockApiServer(boolean)}), for a kubeconfig. */
  public String url() {
    return client.getMasterUrl().toString();
  }

  public CustomResourceDefinition crd() {
    return client.apiextensions().v1().customResourceDefinitions().withName("nodeaddresspolicies.etcdguard.io").get();
  }

  /** A K3s server Node: etcd role label, member-name and address annotations, one InternalIP. */
  public void createK3sNode(String name, String memberName, String internalIp) {
    createK3sNode(name, memberName, internalIp, null);
  }

  /**
   * A K3s server Node as {@link #createK3sNode(String, String, String)}, which also records K3s' effective server
   * arguments in the {@code k3s.io/node-args} annotation (a JSON array of strings, e.g.
   * {@code ["server","--node-ip","10.0.0.1"]}); null leaves the annotation out.
   */
  public void createK3sNode(String name, String memberName, String internalIp, String nodeArgsJson) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("etcd.k3s.cattle.io/node-name", memberName);
    annotations.put("etcd.k3s.cattle.io/node-address", internalIp);
    if (nodeArgsJson != null) {
      annotations.put("k3s.io/node-args", nodeArgsJson);
    }
    client.nodes().resource(new NodeBuilder()
        .withNewMetadata().withName(name)
        .withLabels(Map.of("node-role.kubernetes.io/etcd", "true", "node-role.kubernetes.io/control-plane", "true",
            "kubernetes.io/hostname", name))
        .withAnnotations(annotations)
        .endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
        .addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus()
        .build()).create();
  }

  /** A Secret whose keys hold these files' bytes (e.g. the etcd client's ca.crt, tls.crt, tls.key). */
  public void createSecret(String namespace, String name, Map<String, Path> files) {
    Map<String, String> data = new LinkedHashMap<>();
    files.forEach((key, file) -> {
      try {
        data.put(key, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata().withData(data).build()).create();
  }

  /** A kubeconfig file pointing at this server (with https: trusting any certificate). */
  public Path writeKubeconfig(Path file) throws IOException {
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s"%s}
        contexts:
        - name: mock
          context: {cluster: mock, user: mock, namespace: default}
        current-context: mock
        users:
        - name: mock
          user: {token: "mock-token"}
        """.formatted(url(), https ? ", insecure-skip-tls-verify: true" : ""));
    return file;
  }

  /**
   * The environment of a pod whose service account reaches this (https) server, for a child process whose fabric8
   * {@code Config.autoConfigure} should take the in-cluster path: KUBERNETES_SERVICE_HOST/PORT, the service
   * account token and CA certificate files (written into {@code dir}; the CA is the server's self-signed
   * certificate), and no kubeconfig lookup.
   */
  public Map<String, String> writeInClusterEnvironment(Path dir) throws IOException {
    if (!https) {
      throw new IllegalStateException("the in-cluster environment needs the server started with https (new MockApiServer(true))");
    }
    Path token = Files.writeString(dir.resolve("token"), "mock-service-account-token");
    Path ca = Files.copy(Path.of(web.getSelfSignedCertificate().certificatePath()), dir.resolve("ca.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", "localhost");
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(server.getPort()));
    env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", token.toString());
    env.put("KUBERNETES_CERTS_CA_FILE", ca.toString());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    return env;
  }

  /**
   * Stops the client and the server. fabric8's mock server can stall its own shutdown when a watch's client left
   * while an event was being written to it (its watch listener waits on the event loop that the write holds), and
   * then throws "Unable to close MockWebServer" after its timeout. The test's work is done by then, so that one
   * failure is reported on stderr, not thrown; any other failure is thrown.
   */
  @Override
  public void close() {
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
        throw e;
      }
      System.err.println("MockApiServer: the mock server's shutdown timed out (a watch whose client had left); ignored: " + e.getMessage());
    }
  }
}
