package io.etcdguard.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The manifests of one render, each with the chart file it came from. */
record Rendered(List<Manifest> manifests) {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (\\S+)\\s*$");

  /** One rendered object; source is the chart file, e.g. etcd-address-guard/templates/deployment.yaml. */
  record Manifest(String source, String text, Map<String, Object> object) {
    String kind() {
      return (String) object.get("kind");
    }

    String name() {
      return Yaml.at(object, "metadata", "name");
    }

    String namespace() {
      return Yaml.at(object, "metadata", "namespace");
    }

    /** kind/namespace/name, the identity kubectl uses. */
    String id() {
      return kind() + "/" + (namespace() == null ? "" : namespace() + "/") + name();
    }
  }

  static Rendered parse(String helmOutput) {
    List<Manifest> manifests = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(helmOutput)) {
      Matcher source = SOURCE.matcher(document);
      List<Map<String, Object>> objects = Yaml.documents(document);
      if (objects.isEmpty()) {
        continue;
      }
      if (objects.size() != 1) {
        throw new IllegalStateException("one object per document expected:\n" + document);
      }
      manifests.add(new Manifest(source.find() ? source.group(1) : "", document, objects.get(0)));
    }
    return new Rendered(List.copyOf(manifests));
  }

  List<Manifest> ofKind(String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  boolean has(String kind) {
    return !ofKind(kind).isEmpty();
  }

  /** The only object of that kind; fails if there is none or more than one. */
  Map<String, Object> single(String kind) {
    List<Manifest> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + found.size() + " in " + kinds());
    }
    return found.get(0).object();
  }

  Map<String, Object> named(String kind, String name) {
    return ofKind(kind).stream().filter(m -> name.equals(m.name())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + kinds()))
        .object();
  }

  List<String> kinds() {
    return manifests.stream().map(Manifest::kind).toList();
  }

  Map<String, Object> podSpec() {
    return Yaml.at(single("Deployment"), "spec", "template", "spec");
  }

  Map<String, Object> container() {
    return Yaml.at(podSpec(), "containers", 0);
  }

  /** The long-running containers of the Deployment's pod. */
  List<Map<String, Object>> containers() {
    return Yaml.at(podSpec(), "containers");
  }

  /** The init containers of the Deployment's pod; empty when there are none. */
  List<Map<String, Object>> initContainers() {
    List<Map<String, Object>> init = Yaml.at(podSpec(), "initContainers");
    return init == null ? List.of() : init;
  }

  /** The pod of the node agent's DaemonSet; fails unless there is exactly one DaemonSet. */
  Map<String, Object> agentPodSpec() {
    return Yaml.at(single("DaemonSet"), "spec", "template", "spec");
  }

  /** The agent's only container. */
  Map<String, Object> agentContainer() {
    List<Map<String, Object>> containers = Yaml.at(agentPodSpec(), "containers");
    if (containers.size() != 1) {
      throw new AssertionError("the agent pod should have one container, has " + containers.size());
    }
    return containers.get(0);
  }
}
