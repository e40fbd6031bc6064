package io.etcdguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathTest {
  @Test
  void spellsFieldsWithDotsAndIndexesInBrackets() {
    assertThat(FieldPath.ROOT).hasToString("");
    assertThat(FieldPath.ROOT.field("kind")).hasToString("kind");
    FieldPath item = FieldPath.ROOT.field("items").index(3);
    assertThat(item).hasToString("items[3]");
    assertThat(item.field("metadata").field("labels").field("topology.kubernetes.io/zone"))
        .hasToString("items[3].metadata.labels.topology.kubernetes.io/zone");
    assertThat(item.field("status").field("addresses").index(0).field("type")).hasToString("items[3].status.addresses[0].type");
  }
}
