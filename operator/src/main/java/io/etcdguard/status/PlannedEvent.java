package io.etcdguard.status;

/**
 * An Event to emit.
 *
 * @param nodeName the Node it is about, or null for an Event on the policy only
 * @param warning Warning or Normal
 * @param memberId the etcd member it is about (hex ID), or null for an Event about the policy as a whole; with
 *     the object and the reason it makes the Event's identity, so a repeat bumps one Event's count
 */
public record PlannedEvent(String nodeName, boolean warning, String reason, String message, String memberId) {
  /** An Event about the policy as a whole (or a Node), not one member. */
  public PlannedEvent(String nodeName, boolean warning, String reason, String message) {
    this(nodeName, warning, reason, message, null);
  }
}
