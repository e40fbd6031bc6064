package io.etcdguard.advice;

import io.etcdguard.classify.NodeInfo;
import java.util.Map;

/** The Kubernetes distribution a Node runs, told from what the Node object carries. Decides how a fix is spelled. */
public enum Distribution {
  K3S("K3s", "k3s", "/etc/rancher/k3s/config.yaml", "/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt",
      "/var/lib/rancher/k3s/server/tls/etcd/client.crt", "/var/lib/rancher/k3s/server/tls/etcd/client.key"),
  RKE2("RKE2", "rke2-server", "/etc/rancher/rke2/config.yaml", "/var/lib/rancher/rke2/server/tls/etcd/server-ca.crt",
      "/var/lib/rancher/rke2/server/tls/etcd/server-client.crt", "/var/lib/rancher/rke2/server/tls/etcd/server-client.key"),
  KUBEADM("kubeadm", "kubelet", "/etc/kubernetes/manifests/etcd.yaml", "/etc/kubernetes/pki/etcd/ca.crt",
      "/etc/kubernetes/pki/etcd/healthcheck-client.crt", "/etc/kubernetes/pki/etcd/healthcheck-client.key"),
  TALOS("Talos", null, null, null, null, null),
  OTHER("other", "etcd", null, null, null, null);

  private final String display;
  private final String service;
  private final String configFile;
  private final String caFile;
  private final String certFile;
  private final String keyFile;

  Distribution(String display, String service, String configFile, String caFile, String certFile, String keyFile) {
    this.display = display;
    this.service = service;
    this.configFile = configFile;
    this.caFile = caFile;
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  /** What it is and the evidence, e.g. "K3s (kubelet v1.31.4+k3s1)". */
  public record Detected(Distribution distribution, String evidence) {
    public String describe() {
      return distribution.display + " (" + evidence + ")";
    }
  }

  public static Detected detect(NodeInfo node) {
    if (node == null) {
      return new Detected(OTHER, "no Node");
    }
    String os = node.osImage() == null ? "" : node.osImage();
    String kubelet = node.kubeletVersion() == null ? "" : node.kubeletVersion();
    if (os.startsWith("Talos")) {
      return new Detected(TALOS, "osImage " + os);
    }
    String rke2 = keyWithPrefix(node.annotations(), "etcd.rke2.cattle.io/", "rke2.io/");
    if (rke2 != null) {
      return new Detected(RKE2, "annotation " + rke2);
    }
    if (kubelet.contains("+rke2")) {
      return new Detected(RKE2, "kubelet " + kubelet);
    }
    String k3s = keyWithPrefix(node.annotations(), "etcd.k3s.cattle.io/", "k3s.io/");
    if (k3s != null) {
      return new Detected(K3S, "annotation " + k3s);
    }
    if (kubelet.contains("+k3s")) {
      return new Detected(K3S, "kubelet " + kubelet);
    }
    String kubeadm = keyWithPrefix(node.annotations(), "kubeadm.alpha.kubernetes.io/");
    if (kubeadm != null) {
      return new Detected(KUBEADM, "annotation " + kubeadm);
    }
    if (node.labels().containsKey("node-role.kubernetes.io/control-plane")) {
      return new Detected(KUBEADM, "label node-role.kubernetes.io/control-plane");
    }
    return new Detected(OTHER, "no distribution marker");
  }

  private static String keyWithPrefix(Map<String, String> annotations, String... prefixes) {
    return annotations.keySet().stream().sorted()
        .filter(k -> java.util.Arrays.stream(prefixes).anyMatch(k::startsWith)).findFirst().orElse(null);
  }

  public String display() {
    return display;
  }

  /** The systemd unit that runs the server (kubelet for kubeadm's static pods), or null for Talos. */
  public String service() {
    return service;
  }

  public String configFile() {
    return configFile;
  }

  public boolean isRancher() {
    return this == K3S || this == RKE2;
  }

  /** ETCDCTL_* environment for etcdctl on a server of this distribution, or null when it has no fixed paths. */
  public String etcdctlEnvironment(String endpoint) {
    if (caFile == null) {
      return null;
    }
    return "export ETCDCTL_API=3 ETCDCTL_ENDPOINTS=" + endpoint + " ETCDCTL_CACERT=" + caFile + " ETCDCTL_CERT=" + certFile
        + " ETCDCTL_KEY=" + keyFile;
  }
}
