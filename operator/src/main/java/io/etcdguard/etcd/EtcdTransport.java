package io.etcdguard.etcd;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O threads every etcd connection of the process shares: one small netty event loop group, no callback
 * executor (gRPC runs our callbacks on the event loop, and they only hand a result to the waiting thread), and
 * a small offload pool for gRPC's blocking side work (name resolution). jetcd's own {@code Client} cannot share them: it closes an injected Vert.x when it closes, and
 * starts a Vert.x (with its own event loops) per client otherwise, so the operator speaks etcd's gRPC API
 * through jetcd's generated stubs on channels built here.
 */
public final class EtcdTransport {
  private static final int EVENT_LOOP_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());
  private static final Duration BACKOFF_RESET_WAIT = Duration.ofSeconds(1);
  private static final EtcdTransport SHARED = new EtcdTransport();

  /** Threads for gRPC's blocking side work (name resolution of the endpoint hosts), shared by every channel. */
  static final int OFFLOAD_THREADS = 2;

  private final EventLoopGroup eventLoops;
  private final Executor offload;

  private EtcdTransport() {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory threads = runnable -> {
      Thread thread = new Thread(runnable, "etcd-io-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    this.eventLoops = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, threads, NioIoHandler.newFactory());
    // gRPC's default offload executor is an unbounded cached pool ("grpc-default-executor"): with 100 etcd
    // clients it kept a dozen threads. Resolving an IP literal or a hosts-file name is instant.
    AtomicInteger offloadCounter = new AtomicInteger();
    ThreadPoolExecutor offloadPool = new ThreadPoolExecutor(OFFLOAD_THREADS, OFFLOAD_THREADS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "etcd-offload-" + offloadCounter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    offloadPool.allowCoreThreadTimeOut(true);
    this.offload = offloadPool;
  }

  /** The process-wide transport: its daemon threads live as long as the process. */
  public static EtcdTransport shared() {
    return SHARED;
  }

  /** The shared event loops (the warm-up's in-process stand-in etcd serves on them too). */
  EventLoopGroup eventLoops() {
    return eventLoops;
  }

  /**
   * A channel to one etcd endpoint. It connects on first use and is kept for every later call: after a
   * failure the caller resets its reconnect backoff ({@link #readyToRetry}) instead of building a new one.
   */
  ManagedChannel channel(URI endpoint, SslContext sslContext, Duration dialTimeout) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
        .eventLoopGroup(eventLoops)
        .channelType(NioSocketChannel.class)
        .directExecutor()
        .offloadExecutor(offload)
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, dialTimeout.toMillis()))
        // etcd answers keep-alive pings on an idle connection with GOAWAY too_many_pings
        // (PermitWithoutStream=false), so ping only while a call runs.
        .keepAliveWithoutCalls(false)
        // Calls carry their own deadline; gRPC's own retries would only hide which endpoint failed.
        .disableRetry();
    if (sslContext == null) {
      builder.negotiationType(NegotiationType.PLAINTEXT);
    } else {
      builder.sslContext(sslContext).negotiationType(NegotiationType.TLS);
    }
    return builder.build();
  }

  /**
   * gRPC waits longer and longer between reconnects to an endpoint that failed (up to two minutes), and
   * fails calls at once meanwhile: a check after etcd is back must connect now, not when the backoff ends.
   */
  static void readyToRetry(ManagedChannel channel, Duration dialTimeout) {
    if (channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    // The reset takes effect on the channel's own thread, and pick_first keeps reporting the failure until a
    // connection is READY ("sticky" transient failure): wait, bounded, for the new attempt to connect, or a call
    // made now would still fail at once with the old error. An endpoint still down costs that bound.
    CountDownLatch leftFailure = new CountDownLatch(1);
    channel.notifyWhenStateChanged(ConnectivityState.TRANSIENT_FAILURE, leftFailure::countDown);
    channel.resetConnectBackoff();
    try {
      leftFailure.await(Math.min(BACKOFF_RESET_WAIT.toMillis(), dialTimeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
