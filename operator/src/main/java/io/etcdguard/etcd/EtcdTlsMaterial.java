package io.etcdguard.etcd;

import static io.etcdguard.api.v1alpha1.EtcdTls.CA_KEY;
import static io.etcdguard.api.v1alpha1.EtcdTls.CERT_KEY;
import static io.etcdguard.api.v1alpha1.EtcdTls.KEY_KEY;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * TLS material for talking to etcd: a CA bundle and, for client-certificate authentication, a client
 * certificate chain with its private key, all PEM. Everything is parsed when the material is made, so a
 * broken file or Secret is reported with its name before any connection is tried.
 *
 * <p>Private keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}), SEC1 EC ({@code BEGIN EC PRIVATE KEY}, K3s and
 * RKE2) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, kubeadm).
 */
public final class EtcdTlsMaterial {
  private final String source;
  private final String caDescription;
  private final String certChainDescription;
  private final byte[] caPem;
  private final byte[] certChainPem;
  private final byte[] keyPem;
  private final List<X509Certificate> trustedCertificates;
  private final List<X509Certificate> clientCertificateChain;
  private final PrivateKey clientKey;

  private EtcdTlsMaterial(String source, Part ca, Part certChain, Part key) {
    this.source = source;
    this.caDescription = ca.description;
    this.certChainDescription = certChain == null ? null : certChain.description;
    this.caPem = ca.pem;
    this.trustedCertificates = parseCertificates(ca);
    if (certChain == null) {
      this.certChainPem = null;
      this.keyPem = null;
      this.clientCertificateChain = List.of();
      this.clientKey = null;
    } else {
      this.certChainPem = certChain.pem;
      this.keyPem = key.pem;
      this.clientCertificateChain = parseCertificates(certChain);
      this.clientKey = parsePrivateKey(key);
      requireKeyMatchesCertificate(clientKey, clientCertificateChain.get(0), certChain, key);
    }
  }

  /**
   * Reads PEM files from the operator's file system.
   *
   * @param clientCert null together with {@code clientKey} when etcd does not ask for a client certificate
   */
  public static EtcdTlsMaterial fromFiles(Path ca, Path clientCert, Path clientKey) {
    if (ca == null) {
      throw new TlsMaterialException("etcd TLS: a CA file is required");
    }
    if ((clientCert == null) != (clientKey == null)) {
      throw new TlsMaterialException("etcd TLS: client certificate and key files go together, got "
          + (clientCert == null ? "only key file " + clientKey : "only certificate file " + clientCert));
    }
    String source = clientCert == null ? "file " + ca : "files " + ca + ", " + clientCert + ", " + clientKey;
    return new EtcdTlsMaterial(source, readFile(ca),
        clientCert == null ? null : readFile(clientCert), clientKey == null ? null : readFile(clientKey));
  }

  /**
   * Reads the data of a Secret with the keys {@code ca.crt} and, optionally together, {@code tls.crt} and
   * {@code tls.key} (the layout of cert-manager and of {@code kubernetes.io/tls} Secrets).
   *
   * @param secretDescription how to name the Secret in messages, e.g. "Secret kube-system/etcd-client"
   */
  public static EtcdTlsMaterial fromSecretData(String secretDescription, Map<String, byte[]> data) {
    Map<String, byte[]> entries = data == null ? Map.of() : data;
    if (!entries.containsKey(CA_KEY)) {
      throw new TlsMaterialException("etcd TLS " + secretDescription + " has no key " + CA_KEY
          + " (keys present: " + describeKeys(entries) + ")");
    }
    boolean hasCert = entries.containsKey(CERT_KEY);
    boolean hasKey = entries.containsKey(KEY_KEY);
    if (hasCert != hasKey) {
      throw new TlsMaterialException("etcd TLS " + secretDescription + " has " + (hasCert ? CERT_KEY : KEY_KEY)
          + " but no " + (hasCert ? KEY_KEY : CERT_KEY) + ": they go together");
    }
    return new EtcdTlsMaterial(secretDescription, secretPart(secretDescription, entries, CA_KEY),
        hasCert ? secretPart(secretDescription, entries, CERT_KEY) : null,
        hasKey ? secretPart(secretDescription, entries, KEY_KEY) : null);
  }

  /** Where the material came from, for messages. */
  public String source() {
    return source;
  }

  public byte[] caPem() {
    return caPem.clone();
  }

  public boolean hasClientCertificate() {
    return clientKey != null;
  }

  /** The client certificate chain PEM, or null without client certificate. */
  public byte[] certChainPem() {
    return certChainPem == null ? null : certChainPem.clone();
  }

  /** The client private key PEM as given (any supported format), or null without client certificate. */
  public byte[] keyPem() {
    return keyPem == null ? null : keyPem.clone();
  }

  /**
   * When the client certificate (the first of its chain) stops being valid, or null without client
   * certificate: exported as etcdguard_etcd_client_cert_expiry_timestamp_seconds.
   */
  public java.time.Instant clientCertificateNotAfter() {
    return clientCertificateChain.isEmpty() ? null : clientCertificateChain.get(0).getNotAfter().toInstant();
  }

  /** Names the CA bundle for messages, e.g. "file /etc/kubernetes/pki/etcd/ca.crt". */
  String caDescription() {
    return caDescription;
  }

  /** Names the client certificate for messages, or null without one. */
  String certChainDescription() {
    return certChainDescription;
  }

  List<X509Certificate> trustedCertificates() {
    return trustedCertificates;
  }

  List<X509Certificate> clientCertificateChain() {
    return clientCertificateChain;
  }

  PrivateKey clientKey() {
    return clientKey;
  }

  @Override
  public String toString() {
    return "EtcdTlsMaterial[" + source + (hasClientCertificate() ? ", with client certificate]" : "]");
  }

  /** One PEM blob and how to name it in messages ("file /x/ca.crt", "Secret ns/n key ca.crt"). */
  private record Part(String description, byte[] pem) {
  }

  private static Part readFile(Path file) {
    String description = "file " + file;
    if (!Files.exists(file)) {
      throw new TlsMaterialException("etcd TLS " + description + ": does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new TlsMaterialException("etcd TLS " + description + ": not a regular file");
    }
    try {
      return new Part(description, Files.readAllBytes(file));
    } catch (AccessDeniedException e) {
      // K3s and kubeadm keep client keys readable by root only.
      throw new TlsMaterialException("etcd TLS " + description + ": permission denied", e);
    } catch (IOException e) {
      throw new TlsMaterialException("etcd TLS " + description + ": cannot read it (" + e.getMessage() + ")", e);
    }
  }

  private static Part secretPart(String secretDescription, Map<String, byte[]> entries, String key) {
    byte[] value = entries.get(key);
    return new Part(secretDescription + " key " + key, value == null ? new byte[0] : value.clone());
  }

  private static String describeKeys(Map<String, byte[]> entries) {
    return entries.isEmpty() ? "none" : String.join(", ", new TreeSet<>(entries.keySet()));
  }

  private static List<X509Certificate> parseCertificates(Part part) {
    if (!new String(part.pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new TlsMaterialException("etcd TLS " + part.description
          + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- line)");
    }
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(part.pem)).stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (CertificateException e) {
      throw new TlsMaterialException("etcd TLS " + part.description + ": certificate does not parse ("
          + e.getMessage() + ")", e);
    }
  }

  private static PrivateKey parsePrivateKey(Part part) {
    Object keyObject;
    try {
      keyObject = readKeyObject(part.pem);
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException("etcd TLS " + part.description + ": private key does not parse ("
          + e.getMessage() + ")", e);
    }
    if (keyObject instanceof PEMEncryptedKeyPair || keyObject instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new TlsMaterialException("etcd TLS " + part.description
          + ": the private key is encrypted; etcd client keys must be unencrypted PEM");
    }
    if (!(keyObject instanceof PrivateKey key)) {
      throw new TlsMaterialException("etcd TLS " + part.description
          + ": no PEM private key (expected BEGIN PRIVATE KEY, BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
    }
    return key;
  }

  /** The key as a {@link PrivateKey}, an encrypted key object as read, or null when there is no key. */
  private static Object readKeyObject(byte[] pem) throws IOException {
    try (Reader reader = new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        // openssl ecparam writes an EC PARAMETERS block before the key: skip it and read on.
        if (!(object instanceof ASN1ObjectIdentifier || object instanceof X9ECParameters)) {
          return object;
        }
      }
      return null;
    }
  }

  /**
   * A key from another pair would otherwise surface only as the server rejecting the handshake: prove the
   * pair by signing with the key and verifying with the certificate.
   */
  private static void requireKeyMatchesCertificate(PrivateKey key, X509Certificate certificate, Part certPart,
      Part keyPart) {
    PublicKey publicKey = certificate.getPublicKey();
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new TlsMaterialException("etcd TLS " + keyPart.description
          + ": unsupported private key algorithm " + key.getAlgorithm() + " (RSA, EC or Ed25519)");
    };
    byte[] probe = "etcd-address-guard key check".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new TlsMaterialException("etcd TLS " + keyPart.description + ": private key does not belong to the "
          + "certificate in " + certPart.description + " (subject " + certificate.getSubjectX500Principal() + ")");
    }
  }
}
