package io.etcdguard.packaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * deploy/ for users without Helm: the chart rendered (preset none) into one file per chart template,
 * plus the CRD and a Namespace, with the labels that only make sense for a Helm release removed.
 * deploy/base is this output, checked in; the overlays patch it and are checked against the chart.
 */
final class PlainManifests {
  static final String HEADER = """
      # Generated from the Helm chart helm/etcd-address-guard (helm template, preset none); do not edit.
      # Refresh: ./mvnw -B -pl helm -am verify -Pupdate-generated
      """;
  /** Labels a Helm release adds that plain manifests must not claim. */
  static final List<String> HELM_ONLY_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by");
  private static final Pattern HELM_ONLY_LABEL_LINE =
      Pattern.compile("(?m)^\\s*(helm\\.sh/chart|app\\.kubernetes\\.io/managed-by): .*\\n");
  private static final Pattern SOURCE_LINE = Pattern.compile("(?m)^# Source: .*\\n");
  static final String CRD_FILE = "crd-nodeaddresspolicies.etcdguard.io-v1.yaml";
  static final String REPORT_CRD_FILE = "crd-nodeaddressreports.etcdguard.io-v1.yaml";
  static final String AGENT_HEADER = """
      # Generated from the Helm chart helm/etcd-address-guard (helm template, preset k3s: the node agent's
      # templates only); do not edit. The k3s and rke2 overlays include it.
      # Refresh: ./mvnw -B -pl helm -am verify -Pupdate-generated
      """;
  /** The chart templates of the node agent (deploy/agent); every other template goes to deploy/base. */
  private static final Pattern AGENT_TEMPLATE = Pattern.compile(".*-agent\\.yaml");

  private PlainManifests() {
  }

  /** deploy/base: file name to content, in the order kustomization.yaml lists them. */
  static Map<String, String> base() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("namespace.yaml", HEADER + namespaceYaml("restricted"));
    files.put(CRD_FILE, HEADER + ProjectFiles.read(crdFile()));
    files.put(REPORT_CRD_FILE, HEADER + ProjectFiles.read(reportCrdFile()));
    Rendered rendered = HelmChart.render(baseValues());
    assertNoAgent(rendered);
    addByTemplate(files, rendered, HEADER);
    files.put("kustomization.yaml", HEADER + kustomization(new ArrayList<>(files.keySet())));
    return files;
  }

  /**
   * deploy/agent: the node agent's objects (DaemonSet, ServiceAccount, ClusterRole and binding, admission
   * policy and binding) as the chart renders them for k3s; rke2 renders the same, and the k3s and rke2
   * overlays add this directory to the base.
   */
  static Map<String, String> agent() {
    Map<String, String> files = new LinkedHashMap<>();
    Rendered rendered = HelmChart.render(Map.of("preset", "k3s"));
    Rendered agentOnly = new Rendered(rendered.manifests().stream().filter(PlainManifests::isAgent).toList());
    addByTemplate(files, agentOnly, AGENT_HEADER);
    files.put("kustomization.yaml", AGENT_HEADER + kustomization(new ArrayList<>(files.keySet())));
    return files;
  }

  static boolean isAgent(Rendered.Manifest manifest) {
    return AGENT_TEMPLATE.matcher(manifest.source()).matches();
  }

  private static void assertNoAgent(Rendered rendered) {
    if (rendered.manifests().stream().anyMatch(PlainManifests::isAgent)) {
      throw new IllegalStateException("deploy/base is rendered without the node agent (preset none)");
    }
  }

  private static void addByTemplate(Map<String, String> files, Rendered rendered, String header) {
    Map<String, List<String>> documentsByFile = new LinkedHashMap<>();
    for (Rendered.Manifest manifest : rendered.manifests()) {
      String file = manifest.source().substring(manifest.source().lastIndexOf('/') + 1);
      documentsByFile.computeIfAbsent(file, f -> new ArrayList<>()).add(plainText(manifest.text()));
    }
    documentsByFile.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(
            Comparator.comparingInt(PlainManifests::byInstallOrder).thenComparing(Comparator.naturalOrder())))
        .forEach(e -> files.put(e.getKey(), header + String.join("---\n", e.getValue())));
  }

  /**
   * What an overlay for this preset must render to: the chart with the preset, as plain objects, with
   * the namespace at the Pod Security level the preset needs (hostNetwork and hostPath: privileged).
   */
  static List<Map<String, Object>> expectedObjects(Map<String, Object> values, String podSecurityLevel) {
    List<Map<String, Object>> objects = new ArrayList<>();
    objects.add(Yaml.map(namespaceYaml(podSecurityLevel)));
    objects.add(Yaml.map(ProjectFiles.read(crdFile())));
    objects.add(Yaml.map(ProjectFiles.read(reportCrdFile())));
    for (Rendered.Manifest manifest : HelmChart.render(values).manifests()) {
      objects.add(Yaml.map(plainText(manifest.text())));
    }
    return objects;
  }

  static Map<String, Object> baseValues() {
    return Map.of("preset", "none");
  }

  private static String plainText(String helmDocument) {
    String text = SOURCE_LINE.matcher(helmDocument).replaceAll("");
    text = HELM_ONLY_LABEL_LINE.matcher(text).replaceAll("");
    return text.strip() + "\n";
  }

  private static String namespaceYaml(String podSecurityLevel) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %s
          labels:
            app.kubernetes.io/part-of: etcd-address-guard
            pod-security.kubernetes.io/enforce: %s
            pod-security.kubernetes.io/warn: %s
        """.formatted(HelmChart.NAMESPACE, podSecurityLevel, podSecurityLevel);
  }

  private static String kustomization(List<String> resources) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
        """);
    resources.forEach(r -> yaml.append("  - ").append(r).append('\n'));
    return yaml.toString();
  }

  private static int byInstallOrder(String file) {
    List<String> order = List.of("serviceaccount.yaml", "clusterrole.yaml", "role-leader-election.yaml",
        "role-etcd-client-secret.yaml", "service.yaml", "deployment.yaml", "poddisruptionbudget.yaml",
        "serviceaccount-agent.yaml", "clusterrole-agent.yaml", "admissionpolicy-agent.yaml", "daemonset-agent.yaml");
    int index = order.indexOf(file);
    return index < 0 ? order.size() : index;
  }

  private static java.nio.file.Path reportCrdFile() {
    return ProjectFiles.chartDir().resolve("crds/nodeaddressreports.etcdguard.io-v1.yml");
  }

  private static java.nio.file.Path crdFile() {
    return ProjectFiles.chartDir().resolve("crds/nodeaddresspolicies.etcdguard.io-v1.yml");
  }
}
