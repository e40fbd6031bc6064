package io.etcdguard.host;

/** A fact about the host the agent could not read (or read only approximately), and why. */
public record UnreadableFact(String fact, String reason) {}
