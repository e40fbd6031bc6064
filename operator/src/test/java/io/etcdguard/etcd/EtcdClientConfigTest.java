package io.etcdguard.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.testkit.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EtcdClientConfigTest {
  private static final Duration DIAL = Duration.ofSeconds(2);
  private static final Duration REQUEST = Duration.ofSeconds(5);

  @TempDir
  static Path dir;
  private static EtcdTlsMaterial tls;

  @BeforeAll
  static void createTlsMaterial() {
    tls = EtcdTlsMaterial.fromFiles(TestPki.create(dir, List.of("127.0.0.1")).caCert(), null, null);
  }

  @Test
  void acceptsIpv4Ipv6AndNamesAndAddsTheDefaultPort() {
    EtcdClientConfig config = EtcdClientConfig.of(
        List.of("https://10.0.0.1:2379", "https://[fd00::1e]:12379/", " https://etcd-0.example.org "),
        DIAL, REQUEST, tls);

    assertThat(config.endpoints()).containsExactly(URI.create("https://10.0.0.1:2379"),
        URI.create("https://[fd00::1e]:12379"), URI.create("https://etcd-0.example.org:2379"));
  }

  @Test
  void acceptsPlainHttpWithoutTls() {
    EtcdClientConfig config = EtcdClientConfig.of(List.of("http://127.0.0.1:2379"), DIAL, REQUEST, null);

    assertThat(config.tls()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ftp://10.0.0.1:2379   | etcd endpoint 'ftp://10.0.0.1:2379' must start with http:// or https://",
      "10.0.0.1:2379         | etcd endpoint '10.0.0.1:2379' is not a URL",
      "etcd-0:2379           | etcd endpoint 'etcd-0:2379' must start with http:// or https://",
      "https://              | etcd endpoint 'https://' is not a URL",
      "https://etcd_0:2379   | etcd endpoint 'https://etcd_0:2379' has no host",
      "https://10.0.0.1:2379/v3 | etcd endpoint 'https://10.0.0.1:2379/v3' must be scheme://host:port only",
      "https://u@10.0.0.1:2379  | etcd endpoint 'https://u@10.0.0.1:2379' must be scheme://host:port only",
      "https://10.0.0.1:99999   | etcd endpoint 'https://10.0.0.1:99999' has port 99999, not 1-65535",
  })
  void namesTheBadEndpoint(String endpoint, String message) {
    assertThatThrownBy(() -> EtcdClientConfig.of(List.of("https://10.0.0.9:2379", endpoint), DIAL, REQUEST, tls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void httpsWithoutTlsMaterialIsRefused() {
    assertThatThrownBy(() -> EtcdClientConfig.of(List.of("https://10.0.0.1:2379"), DIAL, REQUEST, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("etcd endpoint https://10.0.0.1:2379 needs TLS material");
  }

  @Test
  void httpWithTlsMaterialIsRefused() {
    assertThatThrownBy(() -> EtcdClientConfig.of(
        List.of("https://10.0.0.1:2379", "http://10.0.0.2:2379"), DIAL, REQUEST, tls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("etcd endpoint http://10.0.0.2:2379 is plain http but TLS material is configured "
            + "(file " + dir.resolve("ca.crt") + ")");
  }

  @Test
  void needsAnEndpoint() {
    assertThatThrownBy(() -> EtcdClientConfig.of(List.of(), DIAL, REQUEST, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd: at least one endpoint is required");
  }

  @Test
  void timeoutsMustBePositive() {
    List<String> endpoints = List.of("http://10.0.0.1:2379");
    assertThatThrownBy(() -> EtcdClientConfig.of(endpoints, Duration.ZERO, REQUEST, null))
        .hasMessage("etcd dial timeout must be positive, got PT0S");
    assertThatThrownBy(() -> EtcdClientConfig.of(endpoints, DIAL, null, null))
        .hasMessage("etcd request timeout must be positive, got null");
  }
}
