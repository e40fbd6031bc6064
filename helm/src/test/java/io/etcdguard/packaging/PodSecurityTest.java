package io.etcdguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pod's security settings for every preset and certificate source. */
class PodSecurityTest {

  /** Every way the chart can be installed: each preset with each certificate source it allows. */
  static Stream<Arguments> everyInstallation() {
    return Stream.of(
        Arguments.of(Map.of("preset", "none")),
        Arguments.of(HelmChart.ciValues("none")),
        Arguments.of(HelmChart.ciValues("monitoring")),
        Arguments.of(Map.of("preset", "k3s")),
        Arguments.of(Map.of("preset", "rke2")),
        Arguments.of(Map.of("preset", "kubeadm")),
        Arguments.of(HelmChart.with(Map.of("preset", "k3s"), "etcd.tls.source", "secret")),
        Arguments.of(HelmChart.with(Map.of("preset", "kubeadm"), "etcd.tls.hostPath.runAsRoot", false)));
  }

  @ParameterizedTest
  @MethodSource("everyInstallation")
  void theContainerIsLockedDownInEveryInstallation(Map<String, Object> values) {
    Rendered rendered = HelmChart.render(values);
    Map<String, Object> pod = rendered.podSpec();
    Map<String, Object> container = rendered.container();

    assertThat(Yaml.<String>at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    assertThat(Yaml.<Boolean>at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
    assertThat(Yaml.<Boolean>at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
    assertThat(Yaml.<List<String>>at(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
    assertThat(Yaml.<Object>at(container, "securityContext", "capabilities", "add")).isNull();
    assertThat(Yaml.<Object>at(container, "securityContext", "privileged")).isNull();
    assertThat(pod).doesNotContainKeys("hostPID", "hostIPC", "initContainers");
    // Whatever is mounted from the host is mounted read-only, one file at a time.
    List<Map<String, Object>> volumes = Yaml.at(pod, "volumes");
    List<Map<String, Object>> mounts = Yaml.at(container, "volumeMounts");
    for (Map<String, Object> volume : volumes) {
      if (volume.containsKey("hostPath")) {
        assertThat(Yaml.<String>at(volume, "hostPath", "type")).isEqualTo("File");
        assertThat(mounts).filteredOn(m -> m.get("name").equals(volume.get("name")))
            .singleElement().satisfies(m -> assertThat(m.get("readOnly")).isEqualTo(true));
      }
    }
    assertThat(PodSecurityStandards.baselineViolations(pod)).isSubsetOf("hostNetwork", "hostPath volumes");
  }

  @Test
  void withoutAPresetThePodMeetsTheRestrictedStandard() {
    for (Map<String, Object> values : List.of(Map.<String, Object>of(), HelmChart.ciValues("none"))) {
      Map<String, Object> pod = HelmChart.render(values).podSpec();
      assertThat(PodSecurityStandards.restrictedViolations(pod)).as("values %s", values).isEmpty();
      assertThat(Yaml.<Boolean>at(pod, "securityContext", "runAsNonRoot")).isTrue();
      assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsUser")).isEqualTo(65532);
      assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsGroup")).isEqualTo(65532);
    }
  }

  /** The documented trade-off: reading the host's root-owned 0600 key needs root (without capabilities). */
  @ParameterizedTest
  @ValueSource(strings = {"k3s", "rke2", "kubeadm"})
  void hostPathPresetsDepartFromRestrictedOnlyWhereTheReadmeSays(String preset) {
    Map<String, Object> pod = HelmChart.renderPreset(preset).podSpec();
    assertThat(PodSecurityStandards.restrictedViolations(pod))
        .containsExactlyInAnyOrder("hostNetwork", "hostPath volumes", "runAsNonRoot", "runAsUser=0");
    assertThat(PodSecurityStandards.baselineViolations(pod)).containsExactlyInAnyOrder("hostNetwork", "hostPath volumes");
    assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsUser")).isZero();
    assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsGroup")).isZero();
  }

  @Test
  void hostPathWithoutRootKeepsTheNonRootUser() {
    Map<String, Object> pod = HelmChart.render(
        HelmChart.with(Map.of("preset", "k3s"), "etcd.tls.hostPath.runAsRoot", false)).podSpec();
    assertThat(PodSecurityStandards.restrictedViolations(pod)).containsExactlyInAnyOrder("hostNetwork", "hostPath volumes");
    assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsUser")).isEqualTo(65532);
  }

  @Test
  void aPresetWithTheSecretNeedsOnlyHostNetwork() {
    Map<String, Object> pod = HelmChart.render(
        HelmChart.with(Map.of("preset", "k3s"), "etcd.tls.source", "secret")).podSpec();
    assertThat(PodSecurityStandards.restrictedViolations(pod)).containsExactly("hostNetwork");
  }

  @Test
  void theCheckerCatchesWhatItChecks() {
    Map<String, Object> pod = Yaml.map("""
        hostPID: true
        volumes: [{name: x, hostPath: {path: /}}, {name: y, nfs: {server: a, path: /}}]
        containers:
          - name: c
            ports: [{containerPort: 80, hostPort: 80}]
            securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}
        """);
    assertThat(PodSecurityStandards.baselineViolations(pod))
        .containsExactlyInAnyOrder("hostPID", "hostPath volumes", "privileged", "capabilities", "hostPorts");
    assertThat(PodSecurityStandards.restrictedViolations(pod))
        .contains("volume types", "runAsNonRoot", "allowPrivilegeEscalation", "seccompProfile");
  }
}
