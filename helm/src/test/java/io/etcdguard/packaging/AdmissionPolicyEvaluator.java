package io.etcdguard.packaging;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rendered ValidatingAdmissionPolicy run with cel-java in the order the API server runs it: every
 * matchCondition must be true for the policy to apply; then its variables are computed, in order, and
 * every validation must be true, else the request is denied with the validation's message (or its
 * messageExpression's). Requests, objects and old objects are plain maps, as the API server's CEL sees
 * them; a missing object (CREATE has no oldObject, DELETE no object) is CEL null.
 */
final class AdmissionPolicyEvaluator {
  /** What the policy does with one request. */
  record Decision(boolean matched, List<String> denials) {
    boolean allowed() {
      return denials.isEmpty();
    }
  }

  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("request", SimpleType.DYN)
      .addVar("object", SimpleType.DYN)
      .addVar("oldObject", SimpleType.DYN)
      .addVar("variables", SimpleType.DYN)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final Map<String, Object> spec;

  AdmissionPolicyEvaluator(Map<String, Object> policy) {
    this.spec = Yaml.at(policy, "spec");
  }

  Decision evaluate(Map<String, Object> request, Map<String, Object> object, Map<String, Object> oldObject) {
    Map<String, Object> bindings = new LinkedHashMap<>();
    bindings.put("request", celValue(request));
    bindings.put("object", object == null ? NullValue.NULL_VALUE : celValue(object));
    bindings.put("oldObject", oldObject == null ? NullValue.NULL_VALUE : celValue(oldObject));
    Map<String, Object> variables = new LinkedHashMap<>();
    bindings.put("variables", variables);
    for (Map<String, Object> condition : list("matchConditions")) {
      if (!(Boolean) run((String) condition.get("expression"), bindings)) {
        return new Decision(false, List.of());
      }
    }
    for (Map<String, Object> variable : list("variables")) {
      variables.put((String) variable.get("name"), run((String) variable.get("expression"), bindings));
    }
    List<String> denials = new ArrayList<>();
    for (Map<String, Object> validation : list("validations")) {
      if (!(Boolean) run((String) validation.get("expression"), bindings)) {
        Object messageExpression = validation.get("messageExpression");
        denials.add(messageExpression != null ? (String) run((String) messageExpression, bindings)
            : (String) validation.get("message"));
      }
    }
    return new Decision(true, List.copyOf(denials));
  }

  /** Every CEL expression of the policy, for a compile check. */
  List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    for (String section : List.of("matchConditions", "variables", "validations")) {
      for (Map<String, Object> entry : list(section)) {
        expressions.add((String) entry.get("expression"));
        if (entry.get("messageExpression") != null) {
          expressions.add((String) entry.get("messageExpression"));
        }
      }
    }
    return expressions;
  }

  static CelAbstractSyntaxTree compile(String expression) {
    try {
      return COMPILER.compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new AssertionError("does not compile: " + expression + "\n" + e.getMessage(), e);
    }
  }

  private static Object run(String expression, Map<String, Object> bindings) {
    try {
      return RUNTIME.createProgram(compile(expression)).eval(bindings);
    } catch (CelEvaluationException e) {
      throw new AssertionError("cannot evaluate " + expression + ": " + e.getMessage(), e);
    }
  }

  /** Plain mutable maps and lists, longs for integers: the shapes cel-java's runtime dispatches on. */
  static Object celValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, celValue(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(celValue(item)));
      return copy;
    }
    if (value instanceof Integer number) {
      return number.longValue();
    }
    return value;
  }

  private List<Map<String, Object>> list(String section) {
    List<Map<String, Object>> entries = Yaml.at(spec, section);
    return entries == null ? List.of() : entries;
  }
}
