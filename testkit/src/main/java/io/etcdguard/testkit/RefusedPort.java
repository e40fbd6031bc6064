package io.etcdguard.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A loopback port that refuses every connection for as long as this is open: a socket bound to it that never
 * listens. A port found free and closed again (a {@code ServerSocket(0)} closed at once) can be taken by any
 * server that starts meanwhile, a test's in another fork for one, and then it answers, or hangs, instead of
 * refusing; this one cannot be taken until {@link #close()}.
 */
public final class RefusedPort implements AutoCloseable {
  private final Socket holder = new Socket();

  public RefusedPort() throws IOException {
    // Without SO_REUSEADDR no other socket can bind the port, not even one that asks for reuse.
    holder.setReuseAddress(false);
    holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  public int port() {
    return holder.getLocalPort();
  }

  /** http://127.0.0.1:PORT, for a client that should find nothing there. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** A kubeconfig whose API server is {@link #url()}, with a token: for a client that must fail to connect. */
  public Path writeKubeconfig(Path file) throws IOException {
    return Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters: [{name: nowhere, cluster: {server: "%s"}}]
        contexts: [{name: nowhere, context: {cluster: nowhere, user: nowhere}}]
        current-context: nowhere
        users: [{name: nowhere, user: {token: t}}]
        """.formatted(url()));
  }

  @Override
  public void close() throws IOException {
    holder.close();
  }
}
