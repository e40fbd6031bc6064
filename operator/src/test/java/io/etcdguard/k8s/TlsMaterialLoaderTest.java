package io.etcdguard.k8s;

import io.etcdguard.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.api.v1alpha1.SecretReference;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.etcd.TlsMaterialException;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.TestPki;
import io.etcdguard.testkit.TestPki.KeyFormat;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Secret is fetched once per TTL for every check, parsed once per resourceVersion, and failures are not kept. */
class TlsMaterialLoaderTest {
  static final Duration TTL = Duration.ofSeconds(60);
  @TempDir static Path dir;
  static TestPki pki;
  static MockApiServer api;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, List.of("127.0.0.30"));
    api = new MockApiServer();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static Secret secret(String name, boolean withClientCert) throws Exception {
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).withNamespace("kube-system").endMetadata()
        .addToStringData("ca.crt", Files.readString(pki.caCert()));
    if (withClientCert) {
      TestPki.Issued client = pki.client(KeyFormat.PKCS8_EC);
      b.addToStringData("tls.crt", Files.readString(client.cert())).addToStringData("tls.key", Files.readString(client.key()));
    }
    return b.build();
  }

  static EtcdTls ref(String name) {
    EtcdTls tls = new EtcdTls();
    SecretReference ref = new SecretReference();
    ref.setNamespace("kube-system");
    ref.setName(name);
    tls.setSecretRef(ref);
    return tls;
  }

  @Test
  void checksWithinTheTtlUseTheMaterialParsedOnce() throws Exception {
    api.client().resource(secret("within-ttl", false)).create();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TlsMaterialLoader loader = new TlsMaterialLoader(api.client(), clock, TTL);

    EtcdTlsMaterial first = loader.load(ref("within-ttl"));
    assertThat(first.clientCertificateNotAfter()).isNull();
    api.client().resource(secret("within-ttl", true)).update();
    clock.advance(TTL.minusSeconds(1));
    assertThat(loader.load(ref("within-ttl"))).as("not fetched again within the TTL").isSameAs(first);

    clock.advance(Duration.ofSeconds(1));
    EtcdTlsMaterial rotated = loader.load(ref("within-ttl"));
    assertThat(rotated).as("the rotated Secret, after the TTL").isNotSameAs(first);
    assertThat(rotated.clientCertificateNotAfter()).isNotNull();
  }

  @Test
  void anUnchangedSecretIsNotParsedAgainAfterTheTtl() throws Exception {
    api.client().resource(secret("unchanged", true)).create();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TlsMaterialLoader loader = new TlsMaterialLoader(api.client(), clock, TTL);

    EtcdTlsMaterial first = loader.load(ref("unchanged"));
    clock.advance(TTL.multipliedBy(3));
    assertThat(loader.load(ref("unchanged"))).as("same resourceVersion, same parsed material").isSameAs(first);
  }

  @Test
  void aSecretTheOperatorMayNotReadIsReportedWithTheApiServersWords() {
    api.server().expect().get().withPath("/api/v1/namespaces/kube-system/secrets/forbidden")
        .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
            .withMessage("secrets \"forbidden\" is forbidden: User \"system:serviceaccount:guard:guard\" cannot get resource"
                + " \"secrets\" in the namespace \"kube-system\"").build())
        .once();
    TlsMaterialLoader loader = new TlsMaterialLoader(api.client(), new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), TTL);

    assertThatThrownBy(() -> loader.load(ref("forbidden")))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessage("Secret kube-system/forbidden cannot be read: HTTP 403: secrets \"forbidden\" is forbidden: User"
            + " \"system:serviceaccount:guard:guard\" cannot get resource \"secrets\" in the namespace \"kube-system\"");
  }

  @Test
  void aMissingSecretIsLookedForAgainAtTheNextCheck() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TlsMaterialLoader loader = new TlsMaterialLoader(api.client(), clock, TTL);

    assertThatThrownBy(() -> loader.load(ref("created-late")))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessage("Secret kube-system/created-late not found (spec.etcd.tls.secretRef)");
    api.client().resource(secret("created-late", false)).create();
    assertThat(loader.load(ref("created-late"))).as("the fix is seen without waiting for the TTL").isNotNull();
  }

  @Test
  void aSecretDeletedAfterTheTtlIsReportedMissing() throws Exception {
    api.client().resource(secret("deleted", false)).create();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TlsMaterialLoader loader = new TlsMaterialLoader(api.client(), clock, TTL);
    loader.load(ref("deleted"));
    api.client().secrets().inNamespace("kube-system").withName("deleted").delete();

    clock.advance(TTL);
    assertThatThrownBy(() -> loader.load(ref("deleted")))
        .hasMessage("Secret kube-system/deleted not found (spec.etcd.tls.secretRef)");
  }
}
