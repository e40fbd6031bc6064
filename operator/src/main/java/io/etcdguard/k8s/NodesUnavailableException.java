package io.etcdguard.k8s;

/**
 * The Nodes a policy selects could not be listed (yet): the check fails rather than classify members against no
 * Nodes, and is retried.
 */
public final class NodesUnavailableException extends RuntimeException {
  public NodesUnavailableException(String message) {
    super(message);
  }

  public NodesUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
