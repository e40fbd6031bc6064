package io.etcdguard.audit;

/** Bad or unreadable input: the message names the file or endpoint and the field; exit code 2. */
public class InputException extends Exception {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
