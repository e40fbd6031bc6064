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
        Arguments.of(HelmChart.with(HelmChart.with(Map.of("preset", "none"), "etcd.tls.source", "hostPath"),
            "etcd.tls.hostPath", Map.of("caFile", "/srv/etcd/ca.pem", "certFile", "/srv/etcd/client.pem",
                "keyFile", "/srv/etcd/client-key.pem"))));
  }

  static Stream<Arguments> hostPathInstallations() {
    return everyInstallation().filter(a -> !HelmChart.render(values(a)).initContainers().isEmpty());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values(Arguments arguments) {
    return (Map<String, Object>) arguments.get()[0];
  }

  @ParameterizedTest
  @MethodSource("everyInstallation")
  void everyLongRunningContainerIsNonRootAndLockedDown(Map<String, Object> values) {
    Rendered rendered = HelmChart.render(values);
    Map<String, Object> pod = rendered.podSpec();

    assertThat(Yaml.<String>at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    assertThat(pod).doesNotContainKeys("hostPID", "hostIPC");
    assertThat(rendered.containers()).isNotEmpty().allSatisfy(container -> {
      String name = (String) container.get("name");
      assertThat(effective(pod, container, "runAsNonRoot")).as("%s runAsNonRoot", name).isEqualTo(true);
      assertThat(effective(pod, container, "runAsUser")).as("%s runAsUser", name).isInstanceOf(Integer.class)
          .isNotEqualTo(0);
      assertThat(Yaml.<Boolean>at(container, "securityContext", "allowPrivilegeEscalation")).as(name).isFalse();
      assertThat(Yaml.<Boolean>at(container, "securityContext", "readOnlyRootFilesystem")).as(name).isTrue();
      assertThat(Yaml.<List<String>>at(container, "securityContext", "capabilities", "drop")).as(name).containsExactly("ALL");
      assertThat(Yaml.<Object>at(container, "securityContext", "capabilities", "add")).as(name).isNull();
      assertThat(Yaml.<Object>at(container, "securityContext", "privileged")).as(name).isNull();
      // Nothing of the host reaches a long-running container.
      assertThat(mountedVolumes(pod, container)).as("volumes mounted by %s", name)
          .noneMatch(volume -> volume.containsKey("hostPath"));
    });
    assertThat(PodSecurityStandards.baselineViolations(pod)).isSubsetOf("hostNetwork", "hostPath volumes");
    // Without the init step, every pod of the chart departs from restricted only in host access.
    assertThat(PodSecurityStandards.restrictedViolations(withoutInitContainers(pod)))
        .isSubsetOf("hostNetwork", "hostPath volumes");
  }

  /**
   * The image's entrypoint names a class path relative to its working directory, /app (the class-data archive needs
   * it so: docs/development.md, "The image's Java runtime and class-data archive"): no container that runs the image's
   * entrypoint may move it.
   */
  @ParameterizedTest
  @MethodSource("everyInstallation")
  void noContainerOfTheOperatorsPodMovesTheImagesWorkingDirectory(Map<String, Object> values) {
    Rendered rendered = HelmChart.render(values);
    List<Map<String, Object>> all = new java.util.ArrayList<>(rendered.containers());
    all.addAll(rendered.initContainers());
    assertThat(all).isNotEmpty().allSatisfy(container ->
        assertThat(container).as("container %s", container.get("name")).doesNotContainKey("workingDir"));
  }

  @ParameterizedTest
  @MethodSource("hostPathInstallations")
  void theInitStepReadsTheHostReadOnlyWithoutCapabilitiesIntoMemory(Map<String, Object> values) {
    Rendered rendered = HelmChart.render(values);
    Map<String, Object> pod = rendered.podSpec();
    Map<String, Object> init = rendered.initContainers().stream().collect(onlyOne());

    assertThat(Yaml.<List<String>>at(init, "args")).first().isEqualTo("copy-certs");
    assertThat(Yaml.<Integer>at(init, "securityContext", "runAsUser")).isZero();
    assertThat(Yaml.<Boolean>at(init, "securityContext", "allowPrivilegeEscalation")).isFalse();
    assertThat(Yaml.<Boolean>at(init, "securityContext", "readOnlyRootFilesystem")).isTrue();
    assertThat(Yaml.<List<String>>at(init, "securityContext", "capabilities", "drop")).containsExactly("ALL");
    assertThat(Yaml.<Object>at(init, "securityContext", "capabilities", "add")).isNull();
    assertThat(Yaml.<Object>at(init, "securityContext", "privileged")).isNull();
    assertThat(init).doesNotContainKeys("ports");

    // Each host volume is one file, mounted read-only, by the init container only.
    List<Map<String, Object>> mounts = Yaml.at(init, "volumeMounts");
    List<Map<String, Object>> hostVolumes = volumes(pod).stream().filter(v -> v.containsKey("hostPath")).toList();
    assertThat(hostVolumes).hasSize(3);
    for (Map<String, Object> volume : hostVolumes) {
      assertThat(Yaml.<String>at(volume, "hostPath", "type")).isEqualTo("File");
      assertThat(mounts).filteredOn(m -> m.get("name").equals(volume.get("name")))
          .singleElement().satisfies(m -> assertThat(m.get("readOnly")).isEqualTo(true));
    }
    // The copies live in memory, are written by the init container and only read by the operator.
    String copyDir = Yaml.<List<String>>at(init, "args").stream().filter(a -> a.startsWith("--to="))
        .map(a -> a.substring("--to=".length())).collect(onlyOne());
    Map<String, Object> copyMount = mounts.stream().filter(m -> copyDir.equals(m.get("mountPath"))).collect(onlyOne());
    assertThat(copyMount.get("readOnly")).isNotEqualTo(true);
    Map<String, Object> copyVolume = volumes(pod).stream().filter(v -> v.get("name").equals(copyMount.get("name")))
        .collect(onlyOne());
    assertThat(Yaml.<String>at(copyVolume, "emptyDir", "medium")).isEqualTo("Memory");
    assertThat(Yaml.<String>at(copyVolume, "emptyDir", "sizeLimit")).isEqualTo("1Mi");
    assertThat(Yaml.<List<Map<String, Object>>>at(rendered.container(), "volumeMounts"))
        .filteredOn(m -> m.get("name").equals(copyMount.get("name"))).singleElement()
        .satisfies(m -> assertThat(m).containsEntry("mountPath", copyDir).containsEntry("readOnly", true));
    // Readable by the pod's fsGroup, which the non-root operator has as a supplementary group.
    Integer fsGroup = Yaml.at(pod, "securityContext", "fsGroup");
    assertThat(fsGroup).isEqualTo(65532);
    assertThat(Yaml.<List<String>>at(init, "args")).contains("--group=" + fsGroup);
  }

  @Test
  void withoutAPresetThePodMeetsTheRestrictedStandard() {
    for (Map<String, Object> values : List.of(Map.<String, Object>of(), HelmChart.ciValues("none"))) {
      Map<String, Object> pod = HelmChart.render(values).podSpec();
      assertThat(PodSecurityStandards.restrictedViolations(pod)).as("values %s", values).isEmpty();
      assertThat(Yaml.<Boolean>at(pod, "securityContext", "runAsNonRoot")).isTrue();
      assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsUser")).isEqualTo(65532);
      assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsGroup")).isEqualTo(65532);
      assertThat(pod).doesNotContainKey("initContainers");
    }
  }

  /**
   * The documented trade-off: the pod needs the privileged namespace level for hostNetwork and the host
   * files (both outside baseline); only the short init step runs as UID 0, the operator does not.
   */
  @ParameterizedTest
  @ValueSource(strings = {"k3s", "rke2", "kubeadm"})
  void hostPathPresetsDepartFromRestrictedOnlyWhereTheReadmeSays(String preset) {
    Map<String, Object> pod = HelmChart.renderPreset(preset).podSpec();
    assertThat(PodSecurityStandards.baselineViolations(pod)).containsExactlyInAnyOrder("hostNetwork", "hostPath volumes");
    assertThat(PodSecurityStandards.restrictedViolations(pod))
        .containsExactlyInAnyOrder("hostNetwork", "hostPath volumes", "runAsNonRoot", "runAsUser=0");
    assertThat(PodSecurityStandards.restrictedViolations(withoutInitContainers(pod)))
        .containsExactlyInAnyOrder("hostNetwork", "hostPath volumes");
    assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsUser")).isEqualTo(65532);
    assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsGroup")).isEqualTo(65532);
    assertThat(Yaml.<Boolean>at(pod, "securityContext", "runAsNonRoot")).isTrue();
  }

  @Test
  void theCopiesFollowTheFsGroupAndTheHostPathModeNeedsOne() {
    Map<String, Object> values = HelmChart.with(Map.of("preset", "k3s"), "podSecurityContext",
        Map.of("runAsNonRoot", true, "runAsUser", 1000, "runAsGroup", 1000, "fsGroup", 2000,
            "seccompProfile", Map.of("type", "RuntimeDefault")));
    Rendered rendered = HelmChart.render(values);
    assertThat(Yaml.<List<String>>at(rendered.initContainers().get(0), "args")).contains("--group=2000");
    assertThat(Yaml.<Integer>at(rendered.podSpec(), "securityContext", "fsGroup")).isEqualTo(2000);

    Map<String, Object> withoutFsGroup = new java.util.HashMap<>();
    withoutFsGroup.put("fsGroup", null); // null removes the chart's default, as --set podSecurityContext.fsGroup=null does
    assertThat(HelmChart.renderError(HelmChart.with(Map.of("preset", "k3s"), "podSecurityContext", withoutFsGroup)))
        .contains("etcd.tls.source=hostPath needs podSecurityContext.fsGroup");
    assertThat(HelmChart.renderError(HelmChart.with(Map.of("preset", "k3s"), "podSecurityContext",
        Map.of("runAsUser", 0, "fsGroup", 65532))))
        .contains("podSecurityContext.runAsUser must be a non-zero UID");
  }

  @Test
  void aPresetWithTheSecretNeedsOnlyHostNetwork() {
    Map<String, Object> pod = HelmChart.render(
        HelmChart.with(Map.of("preset", "k3s"), "etcd.tls.source", "secret")).podSpec();
    assertThat(PodSecurityStandards.restrictedViolations(pod)).containsExactly("hostNetwork");
    assertThat(pod).doesNotContainKey("initContainers");
  }

  /** Every installation that ships the node agent: the presets that enable it, and the others when asked. */
  static Stream<Arguments> agentInstallations() {
    return Stream.concat(everyInstallation(), Stream.of(
            Arguments.of(HelmChart.with(Map.of("preset", "kubeadm"), "agent.enabled", true)),
            Arguments.of(HelmChart.with(HelmChart.ciValues("none"), "agent.enabled", true))))
        .filter(a -> HelmChart.render(values(a)).has("DaemonSet"));
  }

  /**
   * The agent reads the host's network namespace (hostNetwork) and nothing else of the host: non-root, no
   * capability, read-only root filesystem, no host volume. hostNetwork is its one departure from restricted.
   */
  @ParameterizedTest
  @MethodSource("agentInstallations")
  void theAgentIsNonRootWithoutCapabilitiesAndOnlyHostNetwork(Map<String, Object> values) {
    Rendered rendered = HelmChart.render(values);
    Map<String, Object> pod = rendered.agentPodSpec();
    Map<String, Object> agent = rendered.agentContainer();

    assertThat(Yaml.<Boolean>at(pod, "securityContext", "runAsNonRoot")).isTrue();
    assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsUser")).isEqualTo(65532);
    assertThat(Yaml.<Integer>at(pod, "securityContext", "runAsGroup")).isEqualTo(65532);
    assertThat(Yaml.<String>at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    assertThat(pod).doesNotContainKeys("initContainers", "hostPID", "hostIPC").containsEntry("hostNetwork", true);
    assertThat(Yaml.<Object>at(agent, "securityContext", "runAsUser")).as("no container override of the UID").isNull();
    assertThat(Yaml.<Boolean>at(agent, "securityContext", "allowPrivilegeEscalation")).isFalse();
    assertThat(Yaml.<Boolean>at(agent, "securityContext", "readOnlyRootFilesystem")).isTrue();
    assertThat(Yaml.<List<String>>at(agent, "securityContext", "capabilities", "drop")).containsExactly("ALL");
    assertThat(Yaml.<Object>at(agent, "securityContext", "capabilities", "add")).isNull();
    assertThat(Yaml.<Object>at(agent, "securityContext", "privileged")).isNull();
    assertThat(volumes(pod)).isNotEmpty().allSatisfy(volume ->
        assertThat(volume.keySet()).containsExactlyInAnyOrder("name", "emptyDir"));
    assertThat(PodSecurityStandards.baselineViolations(pod)).containsExactly("hostNetwork");
    assertThat(PodSecurityStandards.restrictedViolations(pod)).containsExactly("hostNetwork");
  }

  /** A container's setting, else the pod's (as the kubelet resolves it). */
  private static Object effective(Map<String, Object> pod, Map<String, Object> container, String field) {
    Object own = Yaml.at(container, "securityContext", field);
    return own != null ? own : Yaml.at(pod, "securityContext", field);
  }

  private static List<Map<String, Object>> volumes(Map<String, Object> pod) {
    List<Map<String, Object>> volumes = Yaml.at(pod, "volumes");
    return volumes == null ? List.of() : volumes;
  }

  private static List<Map<String, Object>> mountedVolumes(Map<String, Object> pod, Map<String, Object> container) {
    List<Map<String, Object>> mounts = Yaml.at(container, "volumeMounts");
    List<Object> names = mounts == null ? List.of() : mounts.stream().map(m -> m.get("name")).toList();
    return volumes(pod).stream().filter(v -> names.contains(v.get("name"))).toList();
  }

  private static Map<String, Object> withoutInitContainers(Map<String, Object> pod) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(pod);
    copy.remove("initContainers");
    return copy;
  }

  private static <T> java.util.stream.Collector<T, ?, T> onlyOne() {
    return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
      assertThat(list).hasSize(1);
      return list.get(0);
    });
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
