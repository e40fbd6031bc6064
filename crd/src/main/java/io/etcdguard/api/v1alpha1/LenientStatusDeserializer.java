package io.etcdguard.api.v1alpha1;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a NodeAddressPolicy's status, or nothing: a status this version cannot read (written by another
 * version) is treated as absent, so the next check writes a fresh one, instead of failing the informer's
 * list of every policy.
 */
public final class LenientStatusDeserializer extends ValueDeserializer<NodeAddressPolicyStatus> {
  @Override
  public NodeAddressPolicyStatus deserialize(JsonParser parser, DeserializationContext context) {
    JsonNode raw = context.readTree(parser);
    try {
      return context.readTreeAsValue(raw, NodeAddressPolicyStatus.class);
    } catch (JacksonException e) {
      return null;
    }
  }
}
