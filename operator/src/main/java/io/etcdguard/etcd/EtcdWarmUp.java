package io.etcdguard.etcd;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcdguard.classify.MembershipHealth;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Runs the code of a check's etcd step once, before any policy is checked, so that the first real check finds
 * it loaded and initialised: gRPC, netty, protobuf and jetcd's types are about 1,400 classes, which a cold JVM
 * otherwise loads inside the first check, after JOSDK has started. The operator runs this on a thread of its
 * own while JOSDK builds its configuration and starts its informers (mostly waiting on the API server), so the
 * work lands on the second core.
 *
 * <p>It asks a stand-in etcd that it serves itself on an ephemeral loopback port, inside this process and on
 * the shared event loop: {@code MemberList} and each member's {@code Status} through {@link JetcdMemberSource},
 * exactly as a check does; no other host is contacted. It also builds a client TLS context (no handshake). Best
 * effort: any failure is returned, never thrown, and changes nothing a check does.
 */
public final class EtcdWarmUp {
  /** The stand-in member's id and the cluster id it answers with. */
  static final long MEMBER_ID = 0x5741524dL;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private EtcdWarmUp() {}

  /** What happened: a member that answered its Status, or the failure. */
  public record Result(boolean memberAnswered, Throwable failure) {
    public boolean succeeded() {
      return failure == null && memberAnswered;
    }
  }

  /** One round of MemberList and Status against the in-process stand-in, on the process's shared transport. */
  public static Result run() {
    return run(EtcdTransport.shared());
  }

  static Result run(EtcdTransport transport) {
    Server server = null;
    try {
      buildClientTlsContext();
      StandInCluster cluster = new StandInCluster();
      server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .bossEventLoopGroup(transport.eventLoops())
          .workerEventLoopGroup(transport.eventLoops())
          .channelType(NioServerSocketChannel.class)
          .directExecutor()
          .addService(cluster)
          .addService(new StandInMaintenance())
          .build()
          .start();
      InetSocketAddress address = (InetSocketAddress) server.getListenSockets().get(0);
      String host = address.getAddress().getHostAddress();
      URI endpoint = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
      cluster.clientUrl = endpoint.toString(); // known once the port is bound; asked only after this
      try (JetcdMemberSource source = new JetcdMemberSource(
          new EtcdClientConfig(List.of(endpoint), TIMEOUT, TIMEOUT, null), transport)) {
        MemberListing listing = source.listMembers();
        MembershipHealth health = source.membershipHealth(listing);
        MembershipHealth.Member member = health.member(MEMBER_ID);
        return new Result(member != null && Boolean.TRUE.equals(member.reachable()), null);
      }
    } catch (Exception | LinkageError e) {
      return new Result(false, e);
    } finally {
      if (server != null) {
        server.shutdownNow();
        try {
          server.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Loads the TLS side of a client (SslContext, the JDK provider); nothing is connected. */
  private static void buildClientTlsContext() throws SSLException {
    GrpcSslContexts.forClient().build();
  }

  /** Answers MemberList with one member whose client URL is the stand-in itself. */
  private static final class StandInCluster extends ClusterGrpc.ClusterImplBase {
    volatile String clientUrl;

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> answer) {
      answer.onNext(MemberListResponse.newBuilder()
          .setHeader(ResponseHeader.newBuilder().setClusterId(MEMBER_ID).setMemberId(MEMBER_ID).build())
          .addMembers(Member.newBuilder().setID(MEMBER_ID).setName("warm-up")
              .addPeerURLs("http://127.0.0.1:2380").addClientURLs(clientUrl).build())
          .build());
      answer.onCompleted();
    }
  }

  /** Answers Status as the leader of a one-member cluster. */
  private static final class StandInMaintenance extends MaintenanceGrpc.MaintenanceImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> answer) {
      answer.onNext(StatusResponse.newBuilder()
          .setHeader(ResponseHeader.newBuilder().setClusterId(MEMBER_ID).setMemberId(MEMBER_ID).setRaftTerm(1).build())
          .setLeader(MEMBER_ID).setRaftTerm(1).setRaftIndex(1).setRaftAppliedIndex(1).setVersion("3.4.0")
          .build());
      answer.onCompleted();
    }
  }
}
