package io.etcdguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * A stored policy the Java types cannot hold is still read: its spec names the field and value that could
 * not be read, and the rest of the object (metadata, status) is intact. The informer uses the same serialization.
 */
class LenientReadingTest {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static NodeAddressPolicy read(String spec, String status) {
    return SERIALIZATION.unmarshal("""
        {"apiVersion":"etcdguard.io/v1alpha1","kind":"NodeAddressPolicy","metadata":{"name":"p","resourceVersion":"7"},
         "spec":%s%s}""".formatted(spec, status == null ? "" : ",\"status\":" + status), NodeAddressPolicy.class);
  }

  @Test
  void anUnknownEnumValueNamesTheFieldTheValueAndTheAllowedValues() {
    NodeAddressPolicy policy = read("{\"etcd\":{\"endpoints\":[\"http://127.0.0.1:2379\"]},\"addressFamily\":\"IPv5\"}", null);

    assertThat(policy.getMetadata().getName()).isEqualTo("p");
    assertThat(policy.getSpec().readProblem()).isEqualTo("spec.addressFamily: 'IPv5' is not one of IPv4, IPv6, Any");
  }

  @Test
  void aWrongTypeNamesTheNestedFieldAndWhatWasExpected() {
    NodeAddressPolicy policy = read("{\"etcd\":{\"endpoints\":{\"first\":\"http://127.0.0.1:2379\"}}}", null);

    assertThat(policy.getSpec().readProblem()).isEqualTo("spec.etcd.endpoints: {\"first\":\"http://127.0.0.1:2379\"} cannot be read as a list");
  }

  @Test
  void aSpecThatIsNotAnObjectIsNamed() {
    assertThat(read("\"everything\"", null).getSpec().readProblem()).startsWith("spec: 'everything' cannot be read");
  }

  @Test
  void aReadableSpecHasNoProblemAndKeepsItsValues() {
    NodeAddressPolicy policy = read("{\"etcd\":{\"endpoints\":[\"http://127.0.0.1:2379\"]},\"addressFamily\":\"IPv6\"}",
        "{\"lastCheckTime\":\"2026-11-30T12:00:00Z\"}");

    assertThat(policy.getSpec().readProblem()).isNull();
    assertThat(policy.getSpec().getAddressFamily()).isEqualTo(AddressFamily.IPv6);
    assertThat(policy.getSpec().getEtcd().getEndpoints()).containsExactly("http://127.0.0.1:2379");
    assertThat(policy.getStatus().getLastCheckTime()).isEqualTo("2026-11-30T12:00:00Z");
  }

  @Test
  void anUnreadableStatusIsTreatedAsAbsentAndTheSpecIsStillRead() {
    NodeAddressPolicy policy = read("{\"etcd\":{\"endpoints\":[\"http://127.0.0.1:2379\"]}}", "{\"members\":\"three\"}");

    assertThat(policy.getStatus()).isNull();
    assertThat(policy.getSpec().readProblem()).isNull();
  }

  @Test
  void anUnreadableSpecIsWrittenAsStoredSoACopyReadsTheSame() {
    NodeAddressPolicy policy = read("{\"addressFamily\":\"IPv5\",\"checkInterval\":\"10s\"}", null);

    String json = SERIALIZATION.asJson(policy);
    assertThat(json).contains("\"addressFamily\":\"IPv5\"", "\"checkInterval\":\"10s\"").doesNotContain("readProblem");
    NodeAddressPolicy copy = SERIALIZATION.unmarshal(json, NodeAddressPolicy.class);
    assertThat(copy.getSpec().readProblem()).isEqualTo(policy.getSpec().readProblem());
  }

  @Test
  void aReadableSpecIsWrittenAsUsual() {
    NodeAddressPolicy policy = read("{\"etcd\":{\"endpoints\":[\"http://127.0.0.1:2379\"]}}", null);

    assertThat(SERIALIZATION.asJson(policy)).contains("\"addressFamily\":\"Any\"", "\"endpoints\":[\"http://127.0.0.1:2379\"]");
  }
}
