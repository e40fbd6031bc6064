package io.etcdguard.etcd;

/**
 * etcd's TLS material is missing or unusable: a file, a Secret or one of its keys, named in the message.
 * An {@link IllegalArgumentException} so the CLI reports it like any bad input; the operator catches it by
 * this type and reports {@code TlsMaterialInvalid}.
 */
public class TlsMaterialException extends IllegalArgumentException {
  public TlsMaterialException(String message) {
    super(message);
  }

  public TlsMaterialException(String message, Throwable cause) {
    super(message, cause);
  }
}
