package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/ never drifts from the chart: deploy/base is the chart's output (regenerated and compared
 * here), and each overlay, rendered by kubectl kustomize, must equal the chart rendered with that
 * preset, object for object: the same security settings, RBAC and policy.
 */
class PlainManifestsTest {

  @Test
  void deployBaseIsTheChartRenderedWithoutAPreset() throws IOException {
    assertGenerated(ProjectFiles.deployDir().resolve("base"), PlainManifests.base());
  }

  @Test
  void deployAgentIsTheChartsNodeAgent() throws IOException {
    Map<String, String> expected = PlainManifests.agent();
    assertThat(expected.keySet()).containsExactly("serviceaccount-agent.yaml", "clusterrole-agent.yaml",
        "admissionpolicy-agent.yaml", "daemonset-agent.yaml", "kustomization.yaml");
    assertGenerated(ProjectFiles.deployDir().resolve("agent"), expected);
  }

  private static void assertGenerated(Path base, Map<String, String> expected) throws IOException {
    if (ProjectFiles.updateGenerated()) {
      Files.createDirectories(base);
      try (Stream<Path> old = Files.list(base)) {
        for (Path file : old.toList()) {
          Files.delete(file);
        }
      }
      for (Map.Entry<String, String> file : expected.entrySet()) {
        Files.writeString(base.resolve(file.getKey()), file.getValue());
      }
    }
    try (Stream<Path> files = Files.list(base)) {
      assertThat(files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()))
          .as("files in %s; %s", base, ProjectFiles.REFRESH_HINT)
          .isEqualTo(expected.keySet());
    }
    expected.forEach((name, content) -> assertThat(ProjectFiles.read(base.resolve(name)))
        .as("%s/%s differs from the chart; %s", base, name, ProjectFiles.REFRESH_HINT)
        .isEqualTo(content));
  }

  @Test
  void deployBaseRendersWithKustomizeToTheChartObjects() throws Exception {
    assertSameObjects(ProjectFiles.deployDir().resolve("base"),
        PlainManifests.expectedObjects(PlainManifests.baseValues(), "restricted"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"k3s", "rke2", "kubeadm"})
  void eachOverlayRendersLikeTheChartWithItsPreset(String preset) throws Exception {
    assertSameObjects(ProjectFiles.deployDir().resolve("overlays").resolve(preset),
        PlainManifests.expectedObjects(Map.of("preset", preset), "privileged"));
  }

  @Test
  void theComparisonNoticesADifference() throws Exception {
    // The k3s overlay is not the kubeadm chart: the check must be able to say so.
    Map<String, Map<String, Object>> overlay = byId(Yaml.documents(Kubectl.kustomize(
        ProjectFiles.deployDir().resolve("overlays/k3s"))));
    Map<String, Map<String, Object>> kubeadm = byId(PlainManifests.expectedObjects(Map.of("preset", "kubeadm"), "privileged"));
    assertThat(overlay).isNotEqualTo(kubeadm);
  }

  @Test
  void theCopiesOfTheAlertsAndTheDashboardAreCurrent() {
    assertThat(ProjectFiles.read(ProjectFiles.deployDir().resolve("prometheus/etcdguard-alerts.yaml")))
        .as("deploy/prometheus/etcdguard-alerts.yaml is a copy of %s; %s", ProjectFiles.alertsFile(), ProjectFiles.REFRESH_HINT)
        .isEqualTo(ProjectFiles.read(ProjectFiles.alertsFile()));
    assertThat(ProjectFiles.read(ProjectFiles.deployDir().resolve("grafana/etcdguard-dashboard.json")))
        .as("deploy/grafana/etcdguard-dashboard.json is a copy of %s; %s", ProjectFiles.dashboardFile(), ProjectFiles.REFRESH_HINT)
        .isEqualTo(ProjectFiles.read(ProjectFiles.dashboardFile()));
  }

  @Test
  void theChartCrdIsTheGeneratedCrd() {
    assertThat(ProjectFiles.read(ProjectFiles.chartDir().resolve("crds/nodeaddresspolicies.etcdguard.io-v1.yml")))
        .as("helm/etcd-address-guard/crds/ is a copy of %s; %s", ProjectFiles.crdSource(), ProjectFiles.REFRESH_HINT)
        .isEqualTo(ProjectFiles.read(ProjectFiles.crdSource()));
    assertThat(ProjectFiles.read(ProjectFiles.chartDir().resolve("crds/nodeaddressreports.etcdguard.io-v1.yml")))
        .as("helm/etcd-address-guard/crds/ is a copy of %s; %s", ProjectFiles.reportCrdSource(), ProjectFiles.REFRESH_HINT)
        .isEqualTo(ProjectFiles.read(ProjectFiles.reportCrdSource()));
  }

  private static void assertSameObjects(Path kustomization, List<Map<String, Object>> expected) throws Exception {
    Map<String, Map<String, Object>> actual = byId(Yaml.documents(Kubectl.kustomize(kustomization)));
    Map<String, Map<String, Object>> wanted = byId(expected);
    assertThat(actual.keySet()).as("objects of %s", kustomization).isEqualTo(wanted.keySet());
    for (String id : wanted.keySet()) {
      assertThat(actual.get(id)).as("%s in %s differs from the chart", id, kustomization).isEqualTo(wanted.get(id));
    }
  }

  private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
    Map<String, Map<String, Object>> byId = new TreeMap<>();
    for (Map<String, Object> object : objects) {
      String namespace = Yaml.at(object, "metadata", "namespace");
      String id = object.get("kind") + "/" + (namespace == null ? "" : namespace + "/") + Yaml.at(object, "metadata", "name");
      assertThat(byId.put(id, object)).as("duplicate %s", id).isNull();
    }
    return byId;
  }
}
