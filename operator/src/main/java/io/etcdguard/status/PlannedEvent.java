package io.etcdguard.status;

/**
 * An Event to emit.
 *
 * @param nodeName the Node it is about, or null for an Event on the policy only
 * @param warning Warning or Normal
 */
public record PlannedEvent(String nodeName, boolean warning, String reason, String message) {}
