package io.etcdguard.packaging;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of the Kubernetes Pod Security Standards (baseline and restricted, as the admission
 * controller applies them) that a pod spec can fail, returning the names of the controls it breaks.
 * Written from the standard's table so that the chart's departures from "restricted" are spelled out
 * in tests rather than discovered on a cluster.
 */
final class PodSecurityStandards {
  private static final Set<String> RESTRICTED_VOLUME_TYPES = Set.of(
      "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
  private static final Set<String> BASELINE_CAPABILITIES = Set.of(
      "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
      "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

  private PodSecurityStandards() {
  }

  static Set<String> baselineViolations(Map<String, Object> podSpec) {
    Set<String> violations = new LinkedHashSet<>();
    for (String hostNamespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (Boolean.TRUE.equals(podSpec.get(hostNamespace))) {
        violations.add(hostNamespace);
      }
    }
    for (Map<String, Object> volume : volumes(podSpec)) {
      if (volume.containsKey("hostPath")) {
        violations.add("hostPath volumes");
      }
    }
    if (Yaml.at(podSpec, "securityContext", "sysctls") != null) {
      violations.add("sysctls");
    }
    for (Map<String, Object> container : containers(podSpec)) {
      if (Boolean.TRUE.equals(Yaml.at(container, "securityContext", "privileged"))) {
        violations.add("privileged");
      }
      List<String> added = Yaml.at(container, "securityContext", "capabilities", "add");
      if (added != null && !BASELINE_CAPABILITIES.containsAll(added)) {
        violations.add("capabilities");
      }
      List<Map<String, Object>> ports = Yaml.at(container, "ports");
      if (ports != null && ports.stream().anyMatch(p -> p.get("hostPort") != null && !p.get("hostPort").equals(0))) {
        violations.add("hostPorts");
      }
      Object procMount = Yaml.at(container, "securityContext", "procMount");
      if (procMount != null && !"Default".equals(procMount)) {
        violations.add("procMount");
      }
      if ("Unconfined".equals(Yaml.at(container, "securityContext", "seccompProfile", "type"))) {
        violations.add("seccompProfile");
      }
    }
    if ("Unconfined".equals(Yaml.at(podSpec, "securityContext", "seccompProfile", "type"))) {
      violations.add("seccompProfile");
    }
    return violations;
  }

  static Set<String> restrictedViolations(Map<String, Object> podSpec) {
    Set<String> violations = baselineViolations(podSpec);
    for (Map<String, Object> volume : volumes(podSpec)) {
      if (volume.keySet().stream().filter(k -> !k.equals("name")).noneMatch(RESTRICTED_VOLUME_TYPES::contains)) {
        violations.add(volume.containsKey("hostPath") ? "hostPath volumes" : "volume types");
      }
    }
    Map<String, Object> pod = Yaml.at(podSpec, "securityContext");
    Object podRunAsNonRoot = pod == null ? null : pod.get("runAsNonRoot");
    Object podRunAsUser = pod == null ? null : pod.get("runAsUser");
    Object podSeccomp = Yaml.at(podSpec, "securityContext", "seccompProfile", "type");
    if (Boolean.FALSE.equals(podRunAsNonRoot)) {
      violations.add("runAsNonRoot");
    }
    if (Integer.valueOf(0).equals(podRunAsUser)) {
      violations.add("runAsUser=0");
    }
    for (Map<String, Object> container : containers(podSpec)) {
      Map<String, Object> context = Yaml.at(container, "securityContext");
      Object runAsNonRoot = context != null && context.containsKey("runAsNonRoot")
          ? context.get("runAsNonRoot") : podRunAsNonRoot;
      if (!Boolean.TRUE.equals(runAsNonRoot)) {
        violations.add("runAsNonRoot");
      }
      if (context != null && Integer.valueOf(0).equals(context.get("runAsUser"))) {
        violations.add("runAsUser=0");
      }
      if (context == null || !Boolean.FALSE.equals(context.get("allowPrivilegeEscalation"))) {
        violations.add("allowPrivilegeEscalation");
      }
      Object seccomp = Yaml.at(container, "securityContext", "seccompProfile", "type");
      Object effectiveSeccomp = seccomp != null ? seccomp : podSeccomp;
      if (!"RuntimeDefault".equals(effectiveSeccomp) && !"Localhost".equals(effectiveSeccomp)) {
        violations.add("seccompProfile");
      }
      List<String> dropped = Yaml.at(container, "securityContext", "capabilities", "drop");
      List<String> added = Yaml.at(container, "securityContext", "capabilities", "add");
      if (dropped == null || !dropped.contains("ALL") || (added != null && !List.of("NET_BIND_SERVICE").containsAll(added))) {
        violations.add("capabilities");
      }
    }
    return violations;
  }

  private static List<Map<String, Object>> volumes(Map<String, Object> podSpec) {
    List<Map<String, Object>> volumes = Yaml.at(podSpec, "volumes");
    return volumes == null ? List.of() : volumes;
  }

  private static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
    List<Map<String, Object>> all = new ArrayList<>();
    for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
      List<Map<String, Object>> list = Yaml.at(podSpec, field);
      if (list != null) {
        all.addAll(list);
      }
    }
    return all;
  }
}
