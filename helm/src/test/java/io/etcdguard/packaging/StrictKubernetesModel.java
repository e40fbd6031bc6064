package io.etcdguard.packaging;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads rendered manifests into fabric8's typed Kubernetes model (and the project's own
 * NodeAddressPolicy type), failing on anything the API types do not have.
 *
 * <p>fabric8's model classes keep unknown fields in an "additionalProperties" map through
 * {@code @JsonAnySetter}, so a misspelt field (runAsNonroot, readOnlyRootFilesystem under the pod
 * instead of the container) would pass silently. This mapper switches every any-setter off and fails on
 * unknown properties and on scalars of the wrong type ("2" for an integer), which is what catches
 * such mistakes here: no API server can be had to do it (docs/development.md).
 */
final class StrictKubernetesModel {
  static final JsonMapper STRICT = JsonMapper.builder()
      .annotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
          return Boolean.FALSE;
        }
      })
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  /** apiVersion/kind to the type it must read into. A kind missing here fails the test. */
  private static final Map<String, Class<?>> TYPES = Map.ofEntries(
      Map.entry("v1/Namespace", Namespace.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("apps/v1/DaemonSet", DaemonSet.class),
      Map.entry("admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy", ValidatingAdmissionPolicy.class),
      Map.entry("admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding", ValidatingAdmissionPolicyBinding.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
      Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class),
      Map.entry("etcdguard.io/v1alpha1/NodeAddressPolicy", NodeAddressPolicy.class),
      Map.entry("monitoring.coreos.com/v1/ServiceMonitor", MonitoringModel.ServiceMonitor.class),
      Map.entry("monitoring.coreos.com/v1/PrometheusRule", MonitoringModel.PrometheusRule.class));

  private StrictKubernetesModel() {
  }

  /** The typed object; throws with Jackson's message (field name and class) when it does not fit. */
  static Object read(Map<String, Object> manifest) {
    String type = manifest.get("apiVersion") + "/" + manifest.get("kind");
    Class<?> javaType = TYPES.get(type);
    if (javaType == null) {
      throw new AssertionError("no typed model for " + type + ": add it to StrictKubernetesModel");
    }
    return STRICT.readValue(Yaml.JSON.writeValueAsString(manifest), javaType);
  }

  static <T> T read(Map<String, Object> manifest, Class<T> type) {
    return type.cast(read(manifest));
  }
}
