package io.etcdguard.packaging;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the chart with helm-java (Helm linked in as a native library: no helm binary, no download).
 * Values are given as a map and written to a values file, so lists and nested maps need no --set syntax.
 * Renders are cached for the whole test run: the same values always give the same manifests.
 */
final class HelmChart {
  static final String RELEASE = "etcd-address-guard";
  static final String NAMESPACE = "etcd-address-guard";
  /** Helm's built-in default is v1.20; the chart needs 1.25 or newer. */
  static final String KUBE_VERSION = "v1.32.0";
  static final List<String> PRESETS = List.of("k3s", "rke2", "kubeadm", "none");
  /** The chart-testing values files in ci/, one per way of installing. */
  static final List<String> CI_VALUES = List.of("k3s", "rke2", "kubeadm", "none", "monitoring");

  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private HelmChart() {
  }

  static Rendered render(Map<String, Object> values) {
    return Rendered.parse(renderText(values));
  }

  /** Renders with ci/<name>-values.yaml. */
  static Rendered renderCi(String name) {
    return render(ciValues(name));
  }

  static Rendered renderPreset(String preset) {
    return render(Map.of("preset", preset));
  }

  static Map<String, Object> ciValues(String name) {
    return Yaml.map(ProjectFiles.read(ProjectFiles.chartDir().resolve("ci/" + name + "-values.yaml")));
  }

  static String renderText(Map<String, Object> values) {
    String valuesYaml = Yaml.write(values);
    return CACHE.computeIfAbsent(valuesYaml, HelmChart::template);
  }

  /** The message Helm fails with for these values; fails the test if rendering succeeds. */
  static String renderError(Map<String, Object> values) {
    try {
      template(Yaml.write(values));
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected rendering to fail for values " + values);
  }

  /** helm install --dry-run --client-only: the release's output, NOTES.txt included. */
  static String installNotes(Map<String, Object> values) {
    Path valuesFile = writeValues(Yaml.write(values));
    return new Helm(ProjectFiles.chartDir()).install()
        .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
        .withValuesFile(valuesFile)
        .clientOnly().dryRun()
        .call().getOutput();
  }

  /** Deep copy of a values map with one dotted path set, e.g. with(values, "etcd.tls.source", "secret"). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> with(Map<String, Object> values, String dottedPath, Object value) {
    Map<String, Object> copy = Yaml.map(Yaml.write(values));
    Map<String, Object> current = copy;
    String[] keys = dottedPath.split("\\.");
    for (int i = 0; i < keys.length - 1; i++) {
      current = (Map<String, Object>) current.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
    }
    current.put(keys[keys.length - 1], value);
    return copy;
  }

  private static String template(String valuesYaml) {
    Path valuesFile = writeValues(valuesYaml);
    return new Helm(ProjectFiles.chartDir()).template()
        .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
        .withValuesFile(valuesFile)
        .call();
  }

  /** One file per distinct values, named by content, so that reruns do not pile files up. */
  private static Path writeValues(String valuesYaml) {
    try {
      Path file = ProjectFiles.scratch("values").resolve("values-" + Integer.toHexString(valuesYaml.hashCode()) + ".yaml");
      if (!Files.exists(file) || !Files.readString(file).equals(valuesYaml)) {
        Files.writeString(file, valuesYaml);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
