package io.etcdguard.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.testkit.TestPki;
import io.etcdguard.testkit.TestPki.Issued;
import io.etcdguard.testkit.TestPki.KeyFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EtcdTlsMaterialTest {
  private static final String SECRET = "Secret kube-system/etcd-client";
  /** What `openssl ecparam -genkey -name prime256v1` writes before the key: the curve's OID. */
  private static final String EC_PARAMETERS_BLOCK =
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

  @TempDir
  static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void createPki() {
    pki = TestPki.create(dir, List.of("127.0.0.30"));
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsClientKeysInEveryFormatDistributionsWrite(KeyFormat format) throws IOException {
    Issued client = pki.client(format);
    assertThat(Files.readString(client.key())).startsWith(format.pemHeader());

    EtcdTlsMaterial material = EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), client.key());

    assertThat(material.hasClientCertificate()).isTrue();
    assertThat(material.clientKey().getAlgorithm()).isEqualTo(format == KeyFormat.PKCS1_RSA ? "RSA" : "EC");
    assertThat(material.clientCertificateChain()).hasSize(1);
    assertThat(material.keyPem()).isEqualTo(Files.readAllBytes(client.key()));
    assertThat(material.source()).contains(client.key().toString());
  }

  @Test
  void skipsTheEcParametersBlockOpensslWritesBeforeAnEcKey() throws IOException {
    Issued client = pki.client(KeyFormat.SEC1_EC);
    Path withParameters = Files.writeString(dir.resolve("openssl-style.key"),
        EC_PARAMETERS_BLOCK + Files.readString(client.key()));

    EtcdTlsMaterial material = EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), withParameters);

    assertThat(material.clientKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void caOnlyMeansNoClientCertificate() {
    EtcdTlsMaterial material = EtcdTlsMaterial.fromFiles(pki.caCert(), null, null);

    assertThat(material.hasClientCertificate()).isFalse();
    assertThat(material.certChainPem()).isNull();
    assertThat(material.keyPem()).isNull();
    assertThat(material.trustedCertificates()).hasSize(1);
  }

  @Test
  void readsSecretData() throws IOException {
    Issued client = pki.client(KeyFormat.SEC1_EC);
    EtcdTlsMaterial material = EtcdTlsMaterial.fromSecretData(SECRET, secretData(client));

    assertThat(material.hasClientCertificate()).isTrue();
    assertThat(material.source()).isEqualTo(SECRET);
    assertThat(material.caPem()).isEqualTo(Files.readAllBytes(pki.caCert()));
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("no-such-ca.crt");

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(missing, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS file " + missing + ": does not exist");
  }

  @Test
  void directoryInsteadOfFileIsNamed() {
    Issued client = pki.client(KeyFormat.PKCS8_EC);

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS file " + dir + ": not a regular file");
  }

  @Test
  void certificateWithoutKeyIsRefused() {
    Issued client = pki.client(KeyFormat.PKCS8_EC);

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client certificate and key files go together")
        .hasMessageContaining(client.cert().toString());
  }

  @Test
  void caFileThatIsNotPemIsNamed() throws IOException {
    Path notPem = Files.writeString(dir.resolve("not-pem-ca.crt"), "this is not a certificate\n");

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(notPem, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS file " + notPem + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- line)");
  }

  @Test
  void certificateWithBrokenBase64IsNamed() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.crt"),
        "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(broken, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("etcd TLS file " + broken + ": certificate does not parse");
  }

  @Test
  void keyFileWithBrokenBase64IsNamed() throws IOException {
    Issued client = pki.client(KeyFormat.SEC1_EC);
    Path broken = Files.writeString(dir.resolve("broken.key"),
        "-----BEGIN EC PRIVATE KEY-----\nnot*base64*at*all\n-----END EC PRIVATE KEY-----\n");

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("etcd TLS file " + broken + ": private key does not parse");
  }

  @Test
  void certificateInTheKeyFileIsNamed() {
    Issued client = pki.client(KeyFormat.SEC1_EC);

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), client.cert()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS file " + client.cert() + ": no PEM private key (expected BEGIN PRIVATE KEY, "
            + "BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
  }

  @Test
  void encryptedKeyIsRefused() throws Exception {
    Issued client = pki.client(KeyFormat.SEC1_EC);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(new JcaPKCS8Generator(generator.generateKeyPair().getPrivate(),
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(new BouncyCastleProvider())
              .setPassword("secret".toCharArray())
              .build()));
    }
    Path encrypted = Files.writeString(dir.resolve("encrypted.key"), pem.toString());

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), encrypted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS file " + encrypted + ": the private key is encrypted; etcd client keys must be "
            + "unencrypted PEM");
  }

  @Test
  void keyOfAnotherPairIsRefused() {
    Issued client = pki.client(KeyFormat.SEC1_EC);
    Issued other = pki.client(KeyFormat.PKCS8_EC);

    assertThatThrownBy(() -> EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), other.key()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS file " + other.key() + ": private key does not belong to the certificate in file "
            + client.cert() + " (subject CN=etcd-address-guard)");
  }

  @Test
  void secretWithoutCaListsTheKeysItHas() throws IOException {
    Map<String, byte[]> data = secretData(pki.client(KeyFormat.SEC1_EC));
    data.remove(EtcdTls.CA_KEY);

    assertThatThrownBy(() -> EtcdTlsMaterial.fromSecretData(SECRET, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS " + SECRET + " has no key ca.crt (keys present: tls.crt, tls.key)");
  }

  @Test
  void secretWithCertificateButNoKeyIsRefused() throws IOException {
    Map<String, byte[]> data = secretData(pki.client(KeyFormat.SEC1_EC));
    data.remove(EtcdTls.KEY_KEY);

    assertThatThrownBy(() -> EtcdTlsMaterial.fromSecretData(SECRET, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS " + SECRET + " has tls.crt but no tls.key: they go together");
  }

  @Test
  void badPemInSecretNamesTheSecretAndKey() throws IOException {
    Map<String, byte[]> data = secretData(pki.client(KeyFormat.SEC1_EC));
    data.put(EtcdTls.KEY_KEY, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
        .getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> EtcdTlsMaterial.fromSecretData(SECRET, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("etcd TLS " + SECRET + " key tls.key: private key does not parse");
  }

  @Test
  void notPemCaInSecretNamesTheSecretAndKey() throws IOException {
    Map<String, byte[]> data = secretData(pki.client(KeyFormat.SEC1_EC));
    data.put(EtcdTls.CA_KEY, "not pem".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> EtcdTlsMaterial.fromSecretData(SECRET, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd TLS " + SECRET + " key ca.crt: not a PEM certificate (no -----BEGIN CERTIFICATE----- line)");
  }

  private static Map<String, byte[]> secretData(Issued client) throws IOException {
    return new HashMap<>(Map.of(
        EtcdTls.CA_KEY, Files.readAllBytes(pki.caCert()),
        EtcdTls.CERT_KEY, Files.readAllBytes(client.cert()),
        EtcdTls.KEY_KEY, Files.readAllBytes(client.key())));
  }
}
