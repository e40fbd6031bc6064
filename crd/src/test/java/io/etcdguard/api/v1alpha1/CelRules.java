package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRD's {@code x-kubernetes-validations} rules, compiled and run with cel-java the way the API server
 * runs them: {@code self} is the value of the field that carries the rule, as plain CEL maps, lists and
 * strings.
 */
final class CelRules {
  /**
   * Functions of the Kubernetes CEL library that cel-java does not have (docs/development.md). A rule that
   * calls one of them cannot be compiled or run here, only declared.
   */
  static final Set<String> KUBERNETES_ONLY_FUNCTIONS =
      Set.of("isCIDR", "cidr", "isIP", "ip", "isURL", "url", "quantity", "isQuantity");

  /** One rule and the schema path of the field that carries it, e.g. {@code spec.etcd.tls}. */
  record CelRule(String path, String rule, String message) {
    @Override
    public String toString() {
      return path + ": " + rule;
    }
  }

  private static final Pattern UNDECLARED_REFERENCE = Pattern.compile("undeclared reference to '([^']+)'");

  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      // all(), exists() and has() are macros, off unless asked for.
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      // The API server types self from the schema; dyn is enough for maps, lists and strings.
      .addVar("self", SimpleType.DYN)
      // A rule must say yes or no.
      .setResultType(SimpleType.BOOL)
      .build();

  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  /** Every rule in the schema, in schema order. */
  static List<CelRule> allIn(JsonNode openApiV3Schema) {
    List<CelRule> rules = new ArrayList<>();
    for (CrdFixtures.SchemaNode node : CrdFixtures.walk(openApiV3Schema)) {
      rules.addAll(rulesOf(node.path(), node.schema()));
    }
    return rules;
  }

  static List<CelRule> rulesOf(String path, JsonNode schema) {
    List<CelRule> rules = new ArrayList<>();
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      rules.add(new CelRule(path, validation.path("rule").asText(), validation.path("message").asText("")));
    }
    return rules;
  }

  static CelValidationResult parse(String rule) {
    return COMPILER.parse(rule);
  }

  static CelValidationResult compile(String rule) {
    return COMPILER.compile(rule);
  }

  /** Names of functions the rule calls that the compiler does not know; empty when it compiles. */
  static Set<String> undeclaredFunctions(CelValidationResult compiled) {
    Set<String> names = new TreeSet<>();
    for (CelIssue issue : compiled.getErrors()) {
      Matcher matcher = UNDECLARED_REFERENCE.matcher(issue.getMessage());
      names.add(matcher.find() ? matcher.group(1) : "<not an undeclared reference: " + issue.getMessage() + ">");
    }
    return names;
  }

  /** True when the rule only fails to compile because it calls Kubernetes-only functions. */
  static boolean needsKubernetesLibrary(String rule) {
    CelValidationResult compiled = compile(rule);
    return compiled.hasError() && KUBERNETES_ONLY_FUNCTIONS.containsAll(undeclaredFunctions(compiled));
  }

  /** Runs the rule with {@code self} bound to the given YAML/JSON value. */
  static boolean evaluate(CelRule rule, JsonNode self) {
    try {
      Object result = program(rule.rule()).eval(Map.of("self", toCelValue(self)));
      return (Boolean) result;
    } catch (CelEvaluationException e) {
      throw new AssertionError("Rule at " + rule.path() + " could not be evaluated on " + self + ": " + rule.rule(), e);
    }
  }

  /**
   * Every rule the given document breaks, as "path: message", walking the document along the schema like the
   * API server does. Rules that need the Kubernetes CEL library are skipped: they cannot run here.
   */
  static List<String> violations(JsonNode openApiV3Schema, JsonNode document) {
    List<String> violations = new ArrayList<>();
    collectViolations("", openApiV3Schema, document, violations);
    return violations;
  }

  private static void collectViolations(String path, JsonNode schema, JsonNode value, List<String> out) {
    for (CelRule rule : rulesOf(path, schema)) {
      if (!needsKubernetesLibrary(rule.rule()) && !evaluate(rule, value)) {
        out.add(path + ": " + rule.message());
      }
    }
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode propertySchema = schema.path("properties").get(field.getKey());
        if (propertySchema != null) {
          collectViolations(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), propertySchema,
              field.getValue(), out);
        } else if (schema.path("additionalProperties").isObject()) {
          collectViolations(path + ".*", schema.get("additionalProperties"), field.getValue(), out);
        }
      }
    }
    if (value.isArray() && schema.path("items").isObject()) {
      for (JsonNode item : value) {
        collectViolations(path + "[]", schema.get("items"), item, out);
      }
    }
  }

  private static CelRuntime.Program program(String rule) {
    return PROGRAMS.computeIfAbsent(rule, text -> {
      try {
        return RUNTIME.createProgram(compile(text).getAst());
      } catch (CelValidationException | CelEvaluationException e) {
        throw new AssertionError("Rule does not compile: " + text + "\n" + e.getMessage(), e);
      }
    });
  }

  /** JSON to CEL: objects become maps (so has() works), arrays lists, integers int (long), etc. */
  static Object toCelValue(JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.fields().forEachRemaining(field -> map.put(field.getKey(), toCelValue(field.getValue())));
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> list.add(toCelValue(item)));
      return list;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isTextual()) {
      return value.asText();
    }
    throw new IllegalArgumentException("No CEL value for " + value.getNodeType() + ": " + value);
  }
}
