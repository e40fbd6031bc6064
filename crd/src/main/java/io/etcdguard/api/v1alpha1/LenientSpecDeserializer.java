package io.etcdguard.api.v1alpha1;

import java.util.Arrays;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Reads a NodeAddressPolicy's spec without ever failing the whole object: a spec the Java types cannot
 * hold (an enum value this version does not know, a number where a list belongs; the API server stores
 * what an older or newer schema allowed) becomes an empty spec carrying {@link NodeAddressPolicySpec#readProblem()},
 * which the policy validator reports as the policy's problem. One bad object must never stop the informer
 * that lists every policy.
 */
public final class LenientSpecDeserializer extends ValueDeserializer<NodeAddressPolicySpec> {
  /** The longest value text quoted in a problem. */
  static final int MAX_VALUE_TEXT = 80;

  @Override
  public NodeAddressPolicySpec deserialize(JsonParser parser, DeserializationContext context) {
    JsonNode raw = context.readTree(parser);
    try {
      return context.readTreeAsValue(raw, NodeAddressPolicySpec.class);
    } catch (JacksonException e) {
      NodeAddressPolicySpec unreadable = new NodeAddressPolicySpec();
      unreadable.setReadProblem(describe("spec", raw, e), raw);
      return unreadable;
    }
  }

  /** Writes an unreadable spec as it was stored, any other as usual. */
  public static final class AsStored extends ValueSerializer<NodeAddressPolicySpec> {
    @Override
    public void serialize(NodeAddressPolicySpec spec, JsonGenerator generator, SerializationContext context) {
      if (spec.stored() != null) {
        generator.writeTree(spec.stored());
      } else {
        context.findValueSerializer(NodeAddressPolicySpec.class).serialize(spec, generator, context);
      }
    }

    @Override
    public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type) {
      visitor.getContext().findValueSerializer(NodeAddressPolicySpec.class).acceptJsonFormatVisitor(visitor, type);
    }
  }

  /** "spec.addressFamily: 'IPv5' is not one of IPv4, IPv6, Any": the field's path, its stored value, what was expected. */
  static String describe(String root, JsonNode raw, JacksonException e) {
    StringBuilder path = new StringBuilder(root);
    JsonNode value = raw;
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        path.append('.').append(ref.getPropertyName());
        value = value == null ? null : value.get(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
        value = value == null ? null : value.get(ref.getIndex());
      }
    }
    if (e instanceof UnrecognizedPropertyException) {
      return path + ": unknown field";
    }
    String shown = value == null ? "(absent)" : quote(value);
    Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
    if (e instanceof InvalidFormatException && target != null && target.isEnum()) {
      String allowed = Arrays.stream(target.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
      return path + ": " + shown + " is not one of " + allowed;
    }
    if (target != null) {
      return path + ": " + shown + " cannot be read as " + expected(target);
    }
    return path + ": " + shown + " cannot be read: " + firstLine(e.getOriginalMessage());
  }

  private static String expected(Class<?> target) {
    if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(target)) {
      return "a map";
    }
    if (target == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive() && target != boolean.class) {
      return "a number";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    return "an object (" + target.getSimpleName() + ")";
  }

  private static String quote(JsonNode value) {
    String text = value.isString() ? "'" + value.asString() + "'" : value.toString();
    return text.length() <= MAX_VALUE_TEXT ? text : text.substring(0, MAX_VALUE_TEXT - 3) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
