package io.etcdguard.etcd;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager over our CA bundle, whose rejection of a server certificate names that
 * certificate, its issuer and the CA we trusted: "unable to find valid certification path" alone does not
 * tell an operator that K3s's etcd server-ca.crt was wanted and its client-ca.crt was given.
 */
final class NamingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final EtcdTlsMaterial material;

  private NamingTrustManager(X509ExtendedTrustManager delegate, EtcdTlsMaterial material) {
    this.delegate = delegate;
    this.material = material;
  }

  static NamingTrustManager trusting(EtcdTlsMaterial material) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      List<X509Certificate> cas = material.trustedCertificates();
      for (int i = 0; i < cas.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return new NamingTrustManager(x509, material);
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("etcd TLS " + material.source() + ": cannot trust its CA certificates ("
          + e.getMessage() + ")", e);
    }
  }

  /** A server certificate we refused, described for people. */
  static final class ServerCertificateRejectedException extends CertificateException {
    private final String description;

    ServerCertificateRejectedException(String description, CertificateException cause) {
      super(description, cause);
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw rejection(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw rejection(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw rejection(chain, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private ServerCertificateRejectedException rejection(X509Certificate[] chain, CertificateException cause) {
    if (chain == null || chain.length == 0) {
      return new ServerCertificateRejectedException("the server sent no certificate", cause);
    }
    String presented = chain[0].getSubjectX500Principal() + ", issued by " + chain[0].getIssuerX500Principal();
    String trusted = material.trustedCertificates().stream()
        .map(ca -> ca.getSubjectX500Principal().toString())
        .collect(Collectors.joining("; "));
    String description = notSignedByTrustedCa(cause)
        ? presented + ", is not signed by the CA in " + material.caDescription() + " (" + trusted + ")"
        : presented + ", was refused: " + EtcdFailureClassifier.firstLine(cause.getMessage());
    return new ServerCertificateRejectedException(description, cause);
  }

  private static boolean notSignedByTrustedCa(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        return true;
      }
    }
    return false;
  }
}
