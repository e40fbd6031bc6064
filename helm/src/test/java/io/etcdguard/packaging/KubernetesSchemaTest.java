package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every rendered object against the Kubernetes API types: read strictly into fabric8's model (unknown
 * or misspelt fields fail, see StrictKubernetesModel), and the default policy also against the CRD's
 * openAPIV3Schema, as the API server would check it.
 */
class KubernetesSchemaTest {
  static final List<String> CI_VALUES = HelmChart.CI_VALUES;
  private static final ObjectMapper JACKSON2 = new ObjectMapper();

  @ParameterizedTest
  @FieldSource("CI_VALUES")
  void everyRenderedObjectFitsItsApiType(String ciValues) {
    Rendered rendered = HelmChart.renderCi(ciValues);
    assertThat(rendered.manifests()).isNotEmpty().allSatisfy(manifest ->
        assertThat(StrictKubernetesModel.read(manifest.object())).as(manifest.id()).isNotNull());
  }

  @Test
  void theCrdFitsTheApiType() {
    Map<String, Object> crd = Yaml.map(ProjectFiles.read(ProjectFiles.chartDir().resolve("crds/nodeaddresspolicies.etcdguard.io-v1.yml")));
    assertThat(StrictKubernetesModel.read(crd)).isNotNull();
  }

  @Test
  void theReportCrdFitsTheApiType() {
    Map<String, Object> crd = Yaml.map(ProjectFiles.read(ProjectFiles.chartDir().resolve("crds/nodeaddressreports.etcdguard.io-v1.yml")));
    assertThat(StrictKubernetesModel.read(crd)).isNotNull();
  }

  @Test
  void theAgentObjectsAreCheckedToo() {
    Rendered rendered = HelmChart.renderCi("k3s");
    assertThat(rendered.kinds()).contains("DaemonSet", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    String misspelt = Yaml.write(rendered.single("ValidatingAdmissionPolicy")).replace("matchConditions", "matchCondition");
    assertThatThrownBy(() -> StrictKubernetesModel.read(Yaml.map(misspelt))).hasMessageContaining("matchCondition");
  }

  @Test
  void aMisspeltFieldIsCaught() {
    Map<String, Object> deployment = HelmChart.renderPreset("none").single("Deployment");
    String misspelt = Yaml.write(deployment).replace("readOnlyRootFilesystem", "readOnlyRootFileSystem");
    assertThatThrownBy(() -> StrictKubernetesModel.read(Yaml.map(misspelt)))
        .hasMessageContaining("readOnlyRootFileSystem");
    String wrongType = Yaml.write(deployment).replace("replicas: 2", "replicas: \"2\"");
    assertThatThrownBy(() -> StrictKubernetesModel.read(Yaml.map(wrongType))).hasMessageContaining("replicas");
    assertThat(StrictKubernetesModel.read(deployment, Deployment.class).getSpec().getReplicas()).isEqualTo(2);
  }

  @ParameterizedTest
  @FieldSource("CI_VALUES")
  void theDefaultPolicyPassesTheCrdSchema(String ciValues) throws Exception {
    Map<String, Object> policy = HelmChart.renderCi(ciValues).single("NodeAddressPolicy");
    NodeAddressPolicy typed = StrictKubernetesModel.read(policy, NodeAddressPolicy.class);
    assertThat(typed.getSpec().getEtcd().getEndpoints()).isNotEmpty();
    assertThat(crdSchema().validate(JACKSON2.valueToTree(policy))).isEmpty();
  }

  @Test
  void theCrdSchemaCheckCatchesABadPolicy() throws Exception {
    Map<String, Object> policy = HelmChart.renderCi("none").single("NodeAddressPolicy");
    Map<String, Object> bad = HelmChart.with(policy, "spec.addressFamily", "IPv5");
    bad = HelmChart.with(bad, "spec.etcd.dialTimeout", "five seconds");
    Set<ValidationMessage> messages = crdSchema().validate(JACKSON2.valueToTree(bad));
    assertThat(messages).extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("addressFamily"))
        .anyMatch(m -> m.contains("dialTimeout"));
  }

  /** The CRD's structural schema as JSON Schema (x-kubernetes-* keywords are ignored by the validator). */
  private static JsonSchema crdSchema() throws Exception {
    JsonNode crd = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
        .readTree(ProjectFiles.read(ProjectFiles.chartDir().resolve("crds/nodeaddresspolicies.etcdguard.io-v1.yml")));
    JsonNode openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
  }
}
