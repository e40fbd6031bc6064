package io.etcdguard.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcdguard.classify.EtcdMember;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Lists etcd members through jetcd, read-only (MemberList only).
 *
 * <p>One client serves every call while calls succeed. After a failed call the client is closed and the next
 * call starts a fresh one: gRPC's reconnect backoff would otherwise keep failing calls for seconds after etcd
 * is back (growing to minutes), and a peer that vanished without a reset, such as an expired address, would
 * hold the old connection until TCP gives up.
 */
public final class JetcdMemberSource implements EtcdMemberSource, AutoCloseable {
  private final EtcdClientConfig config;
  private final SslContext sslContext;
  private Client client;
  private boolean closed;

  /**
   * Checks the TLS material and prepares the client; connects only when asked.
   *
   * @throws IllegalArgumentException when the TLS material cannot make a TLS context
   */
  public JetcdMemberSource(EtcdClientConfig config) {
    this.config = config;
    this.sslContext = config.tls() == null ? null : sslContext(config.tls());
  }

  @Override
  public synchronized MemberListing listMembers() throws EtcdAccessException {
    if (closed) {
      throw new IllegalStateException("this JetcdMemberSource is closed");
    }
    if (client == null) {
      client = newClient();
    }
    try {
      MemberListResponse response = client.getClusterClient().listMember()
          .get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return new MemberListing(response.getHeader().getClusterId(),
          response.getMembers().stream().map(JetcdMemberSource::toEtcdMember).toList());
    } catch (ExecutionException | TimeoutException e) {
      throw failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    discardClient();
  }

  /** Closing the client also cancels a call still running. */
  private EtcdAccessException failed(Exception failure) {
    discardClient();
    return EtcdFailureClassifier.classify(failure, config);
  }

  private void discardClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private Client newClient() {
    ClientBuilder builder = Client.builder()
        .endpoints(config.endpoints().toArray(URI[]::new))
        .connectTimeout(config.dialTimeout())
        // Fail with the connection's own error (refused, TLS, DNS) instead of waiting out the request timeout.
        .waitForReady(false)
        // etcd answers keep-alive pings on an idle connection with GOAWAY too_many_pings
        // (PermitWithoutStream=false), so ping only while a call runs.
        .keepaliveWithoutCalls(false);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    return builder.build();
  }

  private static SslContext sslContext(EtcdTlsMaterial tls) {
    SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(NamingTrustManager.trusting(tls));
    if (tls.hasClientCertificate()) {
      builder.keyManager(tls.clientKey(), tls.clientCertificateChain());
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("etcd TLS " + tls.source() + ": cannot build a TLS context ("
          + e.getMessage() + ")", e);
    }
  }

  private static EtcdMember toEtcdMember(Member member) {
    return new EtcdMember(member.getId(), member.getName(),
        member.getPeerURIs().stream().map(URI::toString).toList(),
        member.getClientURIs().stream().map(URI::toString).toList(),
        member.isLearner());
  }
}
