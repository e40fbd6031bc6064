package io.etcdguard.classify;

/** One reason a member does not comply, with the offending address and a message that names the fix. */
public record Finding(Reason reason, Confidence confidence, String address, String message) {}
