package io.etcdguard.classify;

/**
 * One reason a member does not comply: evidence, with the offending address and a message that states
 * the fact (the fix is computed once per member, by io.etcdguard.advice).
 */
public record Finding(Reason reason, Confidence confidence, String address, String message) {}
