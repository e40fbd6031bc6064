package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcdguard.testkit.RefusedPort;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiFailuresTest {
  static final String FABRIC8 = "Operation: [list]  for kind: [Node]  with name: [null]  in namespace: [null]  failed.";

  /** fabric8's wrapper around what the JDK client threw, as a list of Nodes fails. */
  static KubernetesClientException wrapped(Throwable jdk) {
    return new KubernetesClientException(FABRIC8, new IOException(null, jdk));
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("refused (the JDK client's chain)", wrapped(connect(new ClosedChannelException())),
            "cannot connect: nothing accepts connections there (refused or unreachable)"),
        Arguments.of("unknown host (the JDK client's chain)", wrapped(connect(new UnresolvedAddressException())),
            "cannot resolve the host name"),
        Arguments.of("unknown host (a resolver's own exception)", wrapped(new UnknownHostException("api.example")),
            "cannot resolve the host name (api.example)"),
        Arguments.of("connect timeout", wrapped(new HttpConnectTimeoutException("HTTP connect timed out")),
            "no connection within the connect timeout"),
        Arguments.of("request timeout", wrapped(new HttpTimeoutException("request timed out")), "no answer within the request timeout"),
        Arguments.of("untrusted certificate", wrapped(new SSLHandshakeException("PKIX path building failed")),
            "TLS handshake failed (PKIX path building failed)"),
        Arguments.of("TLS after the handshake", wrapped(new SSLException("Connection reset")), "TLS error (Connection reset)"),
        Arguments.of("HTTP error with a Status", new KubernetesClientException(new StatusBuilder().withCode(403)
            .withMessage("nodes is forbidden: User \"x\" cannot list resource \"nodes\"").build()),
            "HTTP 403: nodes is forbidden: User \"x\" cannot list resource \"nodes\""),
        Arguments.of("an ExecutionException around it (ReportApi's sendAsync)", new ExecutionException(connect(new ClosedChannelException())),
            "cannot connect: nothing accepts connections there (refused or unreachable)"),
        Arguments.of("anything else: its innermost message", wrapped(new IllegalStateException("stream closed")), "stream closed"),
        Arguments.of("no message anywhere: the innermost class", new RuntimeException((String) null, new IllegalStateException()),
            "IllegalStateException"));
  }

  static ConnectException connect(Throwable cause) {
    ConnectException e = new ConnectException();
    e.initCause(cause);
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void reasonNamesWhatWentWrong(String what, Throwable failure, String reason) {
    assertThat(ApiFailures.reason(failure)).isEqualTo(reason);
  }

  @Test
  void aRealRefusedConnectionThroughFabric8IsNamed() throws Exception {
    try (RefusedPort refused = new RefusedPort()) {
      Config config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:" + refused.port()).withRequestRetryBackoffLimit(0)
          .withRequestTimeout(5_000).build();
      Throwable failure;
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        failure = catchThrowable(() -> client.nodes().list());
      }
      assertThat(failure).isInstanceOf(KubernetesClientException.class).hasMessage(FABRIC8);
      assertThat(ApiFailures.reason(failure)).isEqualTo("cannot connect: nothing accepts connections there (refused or unreachable)");
    }
  }

  @Test
  void aCycleInTheCausesEnds() {
    IllegalStateException a = new IllegalStateException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(ApiFailures.reason(b)).isEqualTo("a");
  }
}
