package io.etcdguard.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.NodeAddressReportSpec;
import io.etcdguard.api.v1alpha1.NodeIPPrediction;
import io.etcdguard.api.v1alpha1.NodeIPPredictions;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ReportJson (jackson-core streaming) against Jackson databind on the same crd types: the streamed JSON equals
 * databind's serialization as a tree, and what it reads equals what databind reads. The full report is filled by
 * reflection from the crd classes' setters, so a field added to a crd type fails here until ReportJson has it.
 */
class ReportJsonTest {
  private static final JsonMapper DATABIND = JsonMapper.builder().build();

  @Test
  void writesWhatDatabindWritesForEveryFieldOfTheCrdTypes() throws Exception {
    NodeAddressReport report = everyFieldSet();

    assertThat(DATABIND.readTree(ReportJson.write(report))).isEqualTo(tree(report));
  }

  @Test
  void writesWhatDatabindWritesForASparseReportLeavingNullsOutAndKeepingEmptyLists() {
    NodeAddressReport report = ReportApiTest.report("k3s-1", "2026-11-30T12:00:00Z");
    NodeIPPredictions predictions = new NodeIPPredictions();
    NodeIPPrediction none = new NodeIPPrediction();
    none.setWhy("no default route");
    none.setCertainty(NodeAddressReport.CERTAIN);
    predictions.setNow(none);
    report.getSpec().setPredictions(predictions);

    JsonNode streamed = DATABIND.readTree(ReportJson.write(report));

    assertThat(streamed).isEqualTo(tree(report));
    assertThat(streamed.at("/spec/addresses").isArray()).isTrue();
    assertThat(streamed.at("/spec/predictions/now").has("address")).isFalse();
  }

  @Test
  void writesTheReportOfARealHostAsDatabindDoes() {
    HostSnapshot host = HostFixtures.netlink(List.of(HostFixtures.up("eth0")),
        List.of(HostFixtures.address("eth0", "192.168.1.20/24"), HostFixtures.address("eth0", "2001:db8::5/64", 0x01)),
        List.of(HostFixtures.route4("eth0", "192.168.1.1", 100)));
    NodeAddressReport report = NodeAddressReports.toReport("losangeles", host, NodeIpPredictor.predict(host));

    assertThat(DATABIND.readTree(ReportJson.write(report))).isEqualTo(tree(report));
  }

  @Test
  void thePatchReplacesTheSpecWithDatabindsSpec() {
    NodeAddressReportSpec spec = everyFieldSet().getSpec();

    JsonNode patch = DATABIND.readTree(ReportJson.replaceSpecPatch(spec));

    assertThat(patch.size()).isEqualTo(1);
    assertThat(patch.get(0).get("op").asString()).isEqualTo("replace");
    assertThat(patch.get(0).get("path").asString()).isEqualTo("/spec");
    assertThat(patch.get(0).get("value")).isEqualTo(tree(spec));
  }

  @Test
  void readsWhatDatabindReadsFromAServerAnswerWithMetadataItSkips() throws Exception {
    NodeAddressReport stored = everyFieldSet();
    stored.getMetadata().setUid("0c1f5b8e-1111-2222-3333-444455556666");
    stored.getMetadata().setResourceVersion("4711");
    stored.getMetadata().setGeneration(3L);
    stored.getMetadata().setCreationTimestamp("2026-11-30T11:00:00Z");
    stored.getMetadata().setLabels(Map.of("app", "etcd-address-guard"));
    String answer = DATABIND.writeValueAsString(stored);
    // What a server adds that the agent never reads: managed fields, and a property this version does not know.
    var tree = (tools.jackson.databind.node.ObjectNode) DATABIND.readTree(answer);
    ((tools.jackson.databind.node.ObjectNode) tree.get("metadata")).set("managedFields",
        DATABIND.valueToTree(List.of(new ManagedFieldsEntryBuilder().withManager("agent").withOperation("Update").build())));
    ((tools.jackson.databind.node.ObjectNode) tree.get("spec")).put("addedLater", "x");
    tree.putObject("status").put("phase", "ignored");
    answer = DATABIND.writeValueAsString(tree);

    NodeAddressReport streamed = ReportJson.read(answer);
    NodeAddressReport databind = DATABIND.readValue(answer, NodeAddressReport.class);

    assertThat(tree(streamed.getSpec())).isEqualTo(tree(databind.getSpec()));
    assertThat(streamed.getMetadata().getName()).isEqualTo(databind.getMetadata().getName());
    assertThat(streamed.getMetadata().getUid()).isEqualTo(databind.getMetadata().getUid());
    assertThat(streamed.getMetadata().getResourceVersion()).isEqualTo("4711");
    assertThat(streamed.getMetadata().getGeneration()).isEqualTo(3L);
    assertThat(streamed.getMetadata().getLabels()).isEqualTo(databind.getMetadata().getLabels());
    assertThat(streamed.getMetadata().getManagedFields()).isEmpty();
    assertThat(databind.getMetadata().getManagedFields()).hasSize(1);
  }

  @Test
  void readsBackWhatItWrote() {
    NodeAddressReport report = everyFieldSet();

    NodeAddressReport read = ReportJson.read(ReportJson.write(report));

    assertThat(tree(read)).isEqualTo(tree(report));
  }

  @Test
  void aWrongTypeNamesTheField() {
    String answer = "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"addresses\":[{\"interface\":\"eth0\",\"prefixLength\":\"64\"}]}}";

    assertThatThrownBy(() -> ReportJson.read(answer)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.addresses[].prefixLength");
    assertThatThrownBy(() -> ReportJson.read("{\"spec\":[]}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec must be an object");
  }

  /** Databind's serialization, parsed (numbers as a parser sees them, as for the streamed text). */
  private static JsonNode tree(Object value) {
    return DATABIND.readTree(DATABIND.writeValueAsString(value));
  }

  /** A report with every property of every crd type set to a non-default value, found from the setters. */
  static NodeAddressReport everyFieldSet() {
    NodeAddressReport report = new NodeAddressReport();
    report.getMetadata().setName("every-field");
    report.setSpec(filled(NodeAddressReportSpec.class, 0));
    return report;
  }

  private static <T> T filled(Class<T> type, int seed) {
    try {
      T bean = type.getDeclaredConstructor().newInstance();
      int n = seed;
      for (Method setter : type.getMethods()) {
        if (!setter.getName().startsWith("set") || setter.getParameterCount() != 1) {
          continue;
        }
        n++;
        setter.invoke(bean, value(setter.getParameterTypes()[0], setter.getGenericParameterTypes()[0], setter.getName(), n));
      }
      return bean;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot fill " + type.getName(), e);
    }
  }

  private static Object value(Class<?> type, Type generic, String setter, int n) {
    if (type == String.class) {
      return setter.substring(3) + "-" + n;
    }
    if (type == int.class || type == Integer.class) {
      return 1000 + n;
    }
    if (type == long.class || type == Long.class) {
      return 5_000_000_000L + n;
    }
    if (type == boolean.class || type == Boolean.class) {
      return true;
    }
    if (type == List.class) {
      Class<?> element = (Class<?>) ((ParameterizedType) generic).getActualTypeArguments()[0];
      List<Object> list = new ArrayList<>();
      list.add(value(element, element, setter, n));
      list.add(value(element, element, setter, n + 100));
      return list;
    }
    if (type.getPackageName().equals(NodeAddressReportSpec.class.getPackageName())) {
      return filled(type, n * 10);
    }
    throw new IllegalStateException("ReportJsonTest cannot fill " + setter + "(" + type.getName() + "): add the type here and to ReportJson");
  }
}
