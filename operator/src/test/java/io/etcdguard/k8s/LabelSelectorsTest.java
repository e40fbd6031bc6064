package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The canonical text by which Node informers are shared: one text per set of requirements, in any order. */
class LabelSelectorsTest {
  static Stream<Arguments> canonical() {
    return Stream.of(
        Arguments.of(null, ""),
        Arguments.of(new LabelSelector(), ""),
        Arguments.of(selector(Map.of("b", "2", "a", "1")), "a=1,b=2"),
        Arguments.of(selector(Map.of(), req("role", "In", "z", "y", "z")), "role in (y,z)"),
        Arguments.of(selector(Map.of(), req("role", "NotIn", "b", "a")), "role notin (a,b)"),
        Arguments.of(selector(Map.of("x", "1"), req("cp", "Exists"), req("gone", "DoesNotExist")), "!gone,cp,x=1"));
  }

  @ParameterizedTest
  @MethodSource
  void canonical(LabelSelector selector, String text) {
    assertThat(LabelSelectors.canonical(selector)).isEqualTo(text);
  }

  @Test
  void theOrderOfRequirementsDoesNotMatter() {
    assertThat(LabelSelectors.canonical(selector(Map.of("a", "1"), req("b", "Exists"), req("c", "In", "2", "1"))))
        .isEqualTo(LabelSelectors.canonical(selector(Map.of("a", "1"), req("c", "In", "1", "2"), req("b", "Exists"))));
  }

  @Test
  void anUnknownOperatorIsNamed() {
    assertThatThrownBy(() -> LabelSelectors.canonical(selector(Map.of(), req("k", "Gt", "1"))))
        .hasMessageContaining("'Gt'").hasMessageContaining("key k");
  }

  static LabelSelectorRequirement req(String key, String operator, String... values) {
    return new LabelSelectorRequirement(key, operator, List.of(values));
  }

  static LabelSelector selector(Map<String, String> labels, LabelSelectorRequirement... requirements) {
    return new LabelSelectorBuilder().withMatchLabels(labels).withMatchExpressions(requirements).build();
  }
}
