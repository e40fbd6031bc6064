package io.etcdguard.k8s;

import io.etcdguard.etcd.EtcdFailureClassifier;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a Kubernetes API request failed, in a few words, from its cause chain. fabric8 says only "Operation: [list]
 * for kind: [Node] ... failed.", and the JDK HTTP client's ConnectException has no message at all (its cause, a
 * ClosedChannelException or UnresolvedAddressException, has none either), so a message alone says nothing.
 */
public final class ApiFailures {
  private ApiFailures() {}

  public static String reason(Throwable failure) {
    List<Throwable> chain = EtcdFailureClassifier.causeChain(failure);
    for (Throwable t : chain) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "cannot resolve the host name" + detail(t);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof HttpConnectTimeoutException) {
        return "no connection within the connect timeout";
      }
      if (t instanceof SSLHandshakeException) {
        return "TLS handshake failed" + detail(t);
      }
      if (t instanceof SSLException) {
        return "TLS error" + detail(t); // after the handshake: a reset, a bad record
      }
      if (t instanceof ConnectException) {
        return "cannot connect: nothing accepts connections there (refused or unreachable)" + detail(t);
      }
      if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException || t instanceof TimeoutException) {
        return "no answer within the request timeout";
      }
    }
    for (Throwable t : chain) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        String message = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : k.getMessage();
        return "HTTP " + k.getCode() + ": " + message;
      }
    }
    for (int i = chain.size() - 1; i >= 0; i--) {
      String message = chain.get(i).getMessage();
      if (message != null && !message.isBlank()) {
        return message;
      }
    }
    return chain.get(chain.size() - 1).getClass().getSimpleName();
  }

  private static String detail(Throwable t) {
    return t.getMessage() == null || t.getMessage().isBlank() ? "" : " (" + t.getMessage() + ")";
  }
}
