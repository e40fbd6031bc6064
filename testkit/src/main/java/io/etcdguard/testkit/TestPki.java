package io.etcdguard.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away PKI for etcd tests, written as PEM files: a CA, a server certificate for the etcd members
 * (serves clients and peers, so it carries both serverAuth and clientAuth and an IP SAN per member), client
 * certificates with the key formats real distributions use, and a second, unrelated CA for negative tests.
 */
public final class TestPki {
  /** Private key encodings found in the wild. */
  public enum KeyFormat {
    /** {@code BEGIN PRIVATE KEY} with an EC key: what netty reads without help. */
    PKCS8_EC("-----BEGIN PRIVATE KEY-----"),
    /** {@code BEGIN EC PRIVATE KEY}: K3s and RKE2 client keys. */
    SEC1_EC("-----BEGIN EC PRIVATE KEY-----"),
    /** {@code BEGIN RSA PRIVATE KEY}: kubeadm's healthcheck-client.key. */
    PKCS1_RSA("-----BEGIN RSA PRIVATE KEY-----");

    private final String pemHeader;

    KeyFormat(String pemHeader) {
      this.pemHeader = pemHeader;
    }

    public String pemHeader() {
      return pemHeader;
    }
  }

  /** A certificate and its key as files. */
  public record Issued(Path cert, Path key) {
  }

  private static final String PEER_SOURCE_IP = "127.0.0.1";
  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final Authority ca;
  private final Authority otherCa;
  private final Issued server;
  private final Map<KeyFormat, Issued> clients = new EnumMap<>(KeyFormat.class);
  private Issued clientOfOtherCa;

  private TestPki(Path dir, List<String> serverIps) {
    this.dir = dir;
    this.ca = newAuthority("etcd-address-guard test CA", "ca");
    this.otherCa = newAuthority("unrelated test CA", "other-ca");
    // Peer connections between loopback members leave from 127.0.0.1, and etcd matches a connecting
    // peer's certificate against its source address.
    List<String> sans = Stream.concat(serverIps.stream(), Stream.of(PEER_SOURCE_IP)).distinct().toList();
    this.server = issue(ca, "etcd-server", "server", newEcKeyPair(), KeyFormat.PKCS8_EC, sans,
        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
  }

  /**
   * Creates the CAs and the server certificate in {@code dir}.
   *
   * @param serverIps the IP addresses etcd members listen on: each becomes an IP SAN of the server certificate,
   *     as does 127.0.0.1
   */
  public static TestPki create(Path dir, List<String> serverIps) {
    return new TestPki(dir, serverIps);
  }

  public Path caCert() {
    return ca.certFile;
  }

  public Path otherCaCert() {
    return otherCa.certFile;
  }

  /** The etcd members' certificate: serves clients and peers. */
  public Issued server() {
    return server;
  }

  /** A client certificate signed by {@link #caCert()}, its key written in the given format. */
  public synchronized Issued client(KeyFormat format) {
    return clients.computeIfAbsent(format, f -> issue(ca, "etcd-address-guard", "client-" + f.name().toLowerCase(),
        f == KeyFormat.PKCS1_RSA ? newRsaKeyPair() : newEcKeyPair(), f, List.of(), KeyPurposeId.id_kp_clientAuth));
  }

  /** A client certificate signed by {@link #otherCaCert()}: etcd must reject it. */
  public synchronized Issued clientOfOtherCa() {
    if (clientOfOtherCa == null) {
      clientOfOtherCa = issue(otherCa, "etcd-address-guard", "client-of-other-ca", newEcKeyPair(),
          KeyFormat.PKCS8_EC, List.of(), KeyPurposeId.id_kp_clientAuth);
    }
    return clientOfOtherCa;
  }

  private record Authority(X500Name name, KeyPair keys, X509Certificate certificate, Path certFile) {
  }

  private Authority newAuthority(String commonName, String fileStem) {
    try {
      KeyPair keys = newEcKeyPair();
      X500Name name = new X500Name("CN=" + commonName);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = certificateBuilder(name, name, keys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys);
      return new Authority(name, keys, certificate, writePem(fileStem + ".crt", certificate));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create test CA " + commonName, e);
    }
  }

  private Issued issue(Authority issuer, String commonName, String fileStem, KeyPair keys, KeyFormat keyFormat,
      List<String> ips, KeyPurposeId... purposes) {
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = certificateBuilder(issuer.name, new X500Name("CN=" + commonName), keys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(issuer.certificate));
      if (!ips.isEmpty()) {
        GeneralName[] names = ips.stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip))
            .toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      X509Certificate certificate = sign(builder, issuer.keys);
      Path certFile = writePem(fileStem + ".crt", certificate);
      Path keyFile = writePem(fileStem + ".key", switch (keyFormat) {
        case PKCS8_EC -> new JcaPKCS8Generator(keys.getPrivate(), null);
        case SEC1_EC -> sec1(keys);
        // JcaPEMWriter writes an RSA private key as PKCS#1.
        case PKCS1_RSA -> keys.getPrivate();
      });
      return new Issued(certFile, keyFile);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue test certificate " + fileStem, e);
    }
  }

  /**
   * SEC1 as Go's x509.MarshalECPrivateKey and openssl write it, with the curve inside: the JDK's encoding
   * keeps the curve in the PKCS#8 wrapper only, and BouncyCastle's writer would drop it.
   */
  private static PemObject sec1(KeyPair keys) throws IOException {
    PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
    SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), publicKey.getPublicKeyData(),
        pkcs8.getPrivateKeyAlgorithm().getParameters());
    return new PemObject("EC PRIVATE KEY", withCurve.getEncoded());
  }

  private static X509v3CertificateBuilder certificateBuilder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private Path writePem(String fileName, Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return Files.writeString(dir.resolve(fileName), text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
