package io.etcdguard.operator;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.SecretReference;
import io.etcdguard.etcd.EtcdClientConfig;
import io.etcdguard.etcd.EtcdClientPool;
import io.etcdguard.etcd.JetcdMemberSource;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.etcdguard.testkit.TestPki;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What every operator end-to-end test starts the same way: a real etcd over TLS, the etcd client certificate as
 * the chart's Secret, the real operator (one replica, no leader election, metrics on a free port), a policy that
 * reads that Secret, and closing it all in order.
 */
final class EndToEndSetup {
  static final String SECRET_NAMESPACE = "kube-system";
  static final String SECRET_NAME = "etcd-client";

  private EndToEndSetup() {}

  /** A real etcd 3.4 over TLS, the server certificate from {@code pki}; {@code members} is name, IP, name, IP, ... */
  static LocalEtcdCluster tlsEtcd(Path dir, TestPki pki, String... members) {
    if (members.length == 0 || members.length % 2 != 0) {
      throw new IllegalArgumentException("members come as name, IP pairs");
    }
    TestPki.Issued server = pki.server();
    LocalEtcdCluster.Builder builder = LocalEtcdCluster.builder(dir);
    for (int i = 0; i < members.length; i += 2) {
      builder.member(members[i], members[i + 1]);
    }
    return builder.tls(new LocalEtcdCluster.ServerTls(pki.caCert(), server.cert(), server.key())).start();
  }

  /** The etcd client certificate, CA and key as the chart's Secret {@value SECRET_NAMESPACE}/{@value SECRET_NAME}. */
  static void clientSecret(MockApiServer api, TestPki pki) {
    TestPki.Issued clientCert = pki.client(TestPki.KeyFormat.SEC1_EC);
    api.createSecret(SECRET_NAMESPACE, SECRET_NAME,
        Map.of("ca.crt", pki.caCert(), "tls.crt", clientCert.cert(), "tls.key", clientCert.key()));
  }

  /** The real operator with real jetcd clients, started. */
  static GuardOperator startOperator(KubernetesClient client) throws Exception {
    return startOperator(client, config -> new GuardOperator.PooledJetcd(new JetcdMemberSource(config)));
  }

  static GuardOperator startOperator(KubernetesClient client, Function<EtcdClientConfig, EtcdClientPool.PooledSource> etcd)
      throws Exception {
    GuardOperator operator = new GuardOperator(client,
        new GuardOperator.Settings(0, null, "test-operator", Duration.ofSeconds(1)), etcd);
    operator.start();
    return operator;
  }

  /** A policy on {@code endpoints} whose client certificate is the Secret {@code namespace/name}. */
  static NodeAddressPolicy tlsPolicy(String policy, List<String> endpoints, String interval, String namespace, String name) {
    NodeAddressPolicy p = Policies.forEndpoints(policy, endpoints, interval);
    EtcdTls tls = new EtcdTls();
    tls.setSecretRef(new SecretReference(name, namespace));
    p.getSpec().getEtcd().setTls(tls);
    return p;
  }

  static NodeAddressPolicy tlsPolicy(String policy, List<String> endpoints, String interval) {
    return tlsPolicy(policy, endpoints, interval, SECRET_NAMESPACE, SECRET_NAME);
  }

  /** Closes what was started, in the order given, skipping what never started (null). */
  static void closeAll(AutoCloseable... started) throws Exception {
    for (AutoCloseable c : started) {
      if (c != null) {
        c.close();
      }
    }
  }
}
