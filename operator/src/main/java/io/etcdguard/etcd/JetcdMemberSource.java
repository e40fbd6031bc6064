package io.etcdguard.etcd;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MembershipHealth;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * Reads etcd through jetcd's gRPC API, read-only: MemberList, and each member's own Status.
 *
 * <p>Calls run concurrently: no lock is held while one waits, so a hung etcd holds only the threads that
 * asked it, and only until the request timeout, which is a gRPC deadline on every call (the RPC is
 * cancelled, not abandoned). A MemberList goes to the endpoint that answered last; when that endpoint has not
 * answered after its share of the timeout (at most {@link #MAX_HEDGE_DELAY}), or failed, the next endpoint
 * is asked too, and the first answer wins. So one hung member of a healthy cluster costs a check that
 * share, not an "unreachable".
 *
 * <p>One channel per endpoint, kept for the life of this source and reused after failures: before each call
 * on a channel in backoff the backoff is reset, so a check after etcd is back connects at once.
 */
public final class JetcdMemberSource implements EtcdMemberSource, AutoCloseable {
  /** The longest a MemberList waits for one endpoint before it asks the next one as well. */
  static final Duration MAX_HEDGE_DELAY = Duration.ofSeconds(1);

  private final EtcdClientConfig config;
  private final SslContext sslContext;
  private final EtcdTransport transport;
  private final Map<URI, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final AtomicReference<URI> lastAnswered = new AtomicReference<>();
  private volatile boolean closed;

  /**
   * Checks the TLS material and prepares the client; connects only when asked.
   *
   * @throws IllegalArgumentException when the TLS material cannot make a TLS context
   */
  public JetcdMemberSource(EtcdClientConfig config) {
    this(config, EtcdTransport.shared());
  }

  public JetcdMemberSource(EtcdClientConfig config, EtcdTransport transport) {
    this.config = config;
    this.transport = transport;
    this.sslContext = config.tls() == null ? null : sslContext(config.tls());
  }

  @Override
  public MemberListing listMembers() throws EtcdAccessException {
    Answer<io.etcd.jetcd.api.MemberListResponse> answer = firstAnswer(endpointsInOrder(), (channel, deadline) ->
        ClusterGrpc.newFutureStub(channel).withDeadline(deadline).memberList(MemberListRequest.getDefaultInstance()));
    lastAnswered.set(answer.endpoint());
    MemberListResponse response = new MemberListResponse(answer.value());
    return new MemberListing(response.getHeader().getClusterId(),
        response.getMembers().stream().map(JetcdMemberSource::toEtcdMember).toList());
  }

  /** Asks every listed member for its own status (in parallel, within the request timeout) and weighs quorum. */
  @Override
  public MembershipHealth membershipHealth(MemberListing listing) {
    return QuorumAssessment.assess(listing.members(), probe(listing.members()));
  }

  /**
   * Each member's own answer to Status, asked at its first client URL (preferring one that is not loopback:
   * loopback would reach whichever etcd runs beside this process). Members without client URLs (added, never
   * started) are not asked. All are asked at once, with one deadline: {@link #statusTimeout()}.
   */
  public List<MemberHealth> probe(List<EtcdMember> members) {
    ensureOpen();
    Deadline deadline = Deadline.after(statusTimeout().toNanos(), TimeUnit.NANOSECONDS);
    Map<EtcdMember, URI> targets = new LinkedHashMap<>();
    Map<EtcdMember, ListenableFuture<io.etcd.jetcd.api.StatusResponse>> calls = new LinkedHashMap<>();
    List<MemberHealth> results = new ArrayList<>();
    for (EtcdMember member : members) {
      URI endpoint = statusEndpoint(member);
      if (endpoint == null) {
        continue;
      }
      targets.put(member, endpoint);
      if (!endpoint.getScheme().equals(config.endpoints().get(0).getScheme())) {
        continue;
      }
      ManagedChannel channel = channel(endpoint);
      calls.put(member, MaintenanceGrpc.newFutureStub(channel).withDeadline(deadline)
          .status(StatusRequest.getDefaultInstance()));
    }
    for (EtcdMember member : members) {
      URI endpoint = targets.get(member);
      if (endpoint == null) {
        results.add(MemberHealth.notAsked(member.id()));
        continue;
      }
      ListenableFuture<io.etcd.jetcd.api.StatusResponse> call = calls.get(member);
      if (call == null) {
        results.add(MemberHealth.unreachable(member.id(), endpoint, "its client URL " + endpoint
            + " does not use the scheme of the policy's endpoints (" + config.endpoints().get(0).getScheme() + ")"));
        continue;
      }
      try {
        StatusResponse status = new StatusResponse(
            call.get(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS));
        results.add(MemberHealth.answered(member.id(), endpoint, status));
      } catch (ExecutionException e) {
        Throwable failure = failureOf(e.getCause());
        results.add(MemberHealth.unreachable(member.id(), endpoint, failure instanceof TimeoutException
            ? statusTimedOut(endpoint) : describe(endpoint, failure)));
      } catch (TimeoutException | CancellationException e) {
        call.cancel(true);
        results.add(MemberHealth.unreachable(member.id(), endpoint, statusTimedOut(endpoint)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        calls.values().forEach(f -> f.cancel(true));
        results.add(MemberHealth.unreachable(member.id(), endpoint, "interrupted"));
      }
    }
    return results;
  }

  /**
   * How long the members' Status round may take: the dial timeout (bounded by the request timeout). A member
   * answers Status from memory in milliseconds, so a hung one need not hold the check for a whole request
   * timeout on top of the member list.
   */
  Duration statusTimeout() {
    return config.dialTimeout().compareTo(config.requestTimeout()) < 0 ? config.dialTimeout() : config.requestTimeout();
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }

  private String statusTimedOut(URI endpoint) {
    return "etcd at " + endpoint + ": " + EtcdAccessException.Kind.TIMEOUT.label() + ": no Status answer within "
        + EtcdFailureClassifier.human(statusTimeout()) + " (dial timeout)";
  }

  private String describe(URI endpoint, Throwable failure) {
    return EtcdFailureClassifier.classify(failure, config.forEndpoint(endpoint)).getMessage();
  }

  /** The endpoint that answered last first, then the others in the configured order. */
  private List<URI> endpointsInOrder() {
    List<URI> order = new ArrayList<>(config.endpoints());
    URI preferred = lastAnswered.get();
    if (preferred != null && order.remove(preferred)) {
      order.add(0, preferred);
    }
    return order;
  }

  private record Answer<T>(URI endpoint, T value) {}

  private record Outcome<T>(URI endpoint, T value, Throwable failure) {}

  @FunctionalInterface
  private interface Call<T> {
    ListenableFuture<T> start(ManagedChannel channel, Deadline deadline);
  }

  /**
   * Asks the endpoints in order, each one after the previous has failed or has not answered within its share
   * of the request timeout, and returns the first answer. Every call still running then is cancelled.
   */
  private <T> Answer<T> firstAnswer(List<URI> endpoints, Call<T> call) throws EtcdAccessException {
    ensureOpen();
    long timeoutNanos = config.requestTimeout().toNanos();
    Deadline deadline = Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS);
    long hedgeDelayNanos = Math.min(timeoutNanos / endpoints.size(), MAX_HEDGE_DELAY.toNanos());
    BlockingQueue<Outcome<T>> outcomes = new LinkedBlockingQueue<>();
    List<ListenableFuture<T>> running = new ArrayList<>();
    Map<URI, Throwable> failures = new LinkedHashMap<>();
    int started = 0;
    long nextStart = 0;
    try {
      while (failures.size() < endpoints.size()) {
        long now = System.nanoTime();
        if (started < endpoints.size() && (now >= nextStart || failures.size() == started)) {
          URI endpoint = endpoints.get(started++);
          ManagedChannel channel = channel(endpoint);
          ListenableFuture<T> future = call.start(channel, deadline);
          running.add(future);
          future.addListener(() -> outcomes.add(outcomeOf(endpoint, future)), MoreExecutors.directExecutor());
          nextStart = System.nanoTime() + hedgeDelayNanos;
          continue;
        }
        long wait = deadline.timeRemaining(TimeUnit.NANOSECONDS);
        if (started < endpoints.size()) {
          wait = Math.min(wait, nextStart - now);
        }
        Outcome<T> outcome = outcomes.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
        if (outcome == null) {
          if (deadline.isExpired()) {
            break;
          }
          continue;
        }
        if (outcome.failure() == null) {
          return new Answer<>(outcome.endpoint(), outcome.value());
        }
        failures.put(outcome.endpoint(), outcome.failure());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw EtcdFailureClassifier.classify(e, config);
    } finally {
      running.forEach(future -> future.cancel(true));
    }
    // Endpoints asked that never answered, and those there was no time left to ask, timed out.
    Map<URI, Throwable> all = new LinkedHashMap<>();
    for (URI endpoint : endpoints) {
      all.put(endpoint, failures.getOrDefault(endpoint, new TimeoutException()));
    }
    throw EtcdFailureClassifier.classifyAll(all, config);
  }

  private static <T> Outcome<T> outcomeOf(URI endpoint, ListenableFuture<T> future) {
    try {
      return new Outcome<>(endpoint, future.get(), null);
    } catch (ExecutionException e) {
      return new Outcome<>(endpoint, null, failureOf(e.getCause()));
    } catch (CancellationException | InterruptedException e) {
      return new Outcome<>(endpoint, null, new TimeoutException());
    }
  }

  /** gRPC's deadline becomes a timeout; anything else jetcd's EtcdException, as jetcd's own client reports it. */
  private static Throwable failureOf(Throwable cause) {
    if (cause instanceof StatusRuntimeException status
        && status.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return new TimeoutException(status.getMessage());
    }
    return EtcdExceptionFactory.toEtcdException(cause);
  }

  private ManagedChannel channel(URI endpoint) {
    ensureOpen();
    ManagedChannel channel = channels.computeIfAbsent(endpoint,
        e -> transport.channel(e, e.getScheme().equals("https") ? sslContext : null, config.dialTimeout()));
    EtcdTransport.readyToRetry(channel, config.dialTimeout());
    return channel;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this JetcdMemberSource is closed");
    }
  }

  private URI statusEndpoint(EtcdMember member) {
    List<URI> urls = new ArrayList<>();
    for (String url : member.clientUrls()) {
      try {
        URI uri = new URI(url.trim());
        if (uri.getHost() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
          urls.add(new URI(uri.getScheme(), null, uri.getHost(),
              uri.getPort() == -1 ? EtcdClientConfig.DEFAULT_CLIENT_PORT : uri.getPort(), null, null, null));
        }
      } catch (URISyntaxException | NullPointerException unusable) {
        // A client URL etcd would not have accepted either: there is nothing to ask there.
      }
    }
    return urls.stream().filter(uri -> !isLoopback(uri.getHost())).findFirst()
        .orElse(urls.isEmpty() ? null : urls.get(0));
  }

  private static boolean isLoopback(String host) {
    return host.startsWith("127.") || host.equals("[::1]") || host.equals("::1") || host.equals("localhost");
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
