package io.etcdguard.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes what `kubectl get nodes -o json` prints for a large K3s cluster: the seed's three etcd servers
 * (k3s-1, losangeles, k3s-2 at 192.168.1.31/.30/.32, as in docs/examples) and workers, each with the
 * labels, annotations, managed fields, taints, capacity, 5 conditions and 20 images a real Node carries,
 * indented as kubectl indents (about 15 KB per Node, 75 MB for 5,000). Generated, not committed.
 */
public final class RealisticNodeList {
  private static final String[][] SERVERS = {
      {"k3s-1", "192.168.1.31", "k3s-1-b2495bc5"},
      {"losangeles", "192.168.1.30", "losangeles-0ac72af5"},
      {"k3s-2", "192.168.1.32", "k3s-2-5a3e0192"}};
  public static final int IMAGES = 20;

  /** kubectl indents its JSON by four spaces: a third of the file's bytes are that whitespace. */
  private static final ObjectWriteContext KUBECTL_INDENT = new ObjectWriteContext.Base() {
    @Override
    public PrettyPrinter getPrettyPrinter() {
      DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
      return new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    @Override
    public boolean hasPrettyPrinter() {
      return true;
    }
  };

  private RealisticNodeList() {}

  public static Path write(Path file, int nodes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        JsonGenerator g = new JsonFactory().createGenerator(KUBECTL_INDENT, out)) {
      g.writeStartObject();
      g.writeStringProperty("apiVersion", "v1");
      g.writeArrayPropertyStart("items");
      for (int i = 0; i < nodes; i++) {
        node(g, i);
      }
      g.writeEndArray();
      g.writeStringProperty("kind", "List");
      g.writeObjectPropertyStart("metadata");
      g.writeStringProperty("resourceVersion", "");
      g.writeEndObject();
      g.writeEndObject();
    }
    return file;
  }

  private static void node(JsonGenerator g, int i) {
    boolean server = i < SERVERS.length;
    String name = server ? SERVERS[i][0] : "worker-" + i;
    String ip = server ? SERVERS[i][1] : "10." + (i / 250 % 250) + "." + (i % 250) + ".11";
    g.writeStartObject();
    g.writeStringProperty("apiVersion", "v1");
    g.writeStringProperty("kind", "Node");
    g.writeObjectPropertyStart("metadata");
    g.writeObjectPropertyStart("annotations");
    g.writeStringProperty("alpha.kubernetes.io/provided-node-ip", ip);
    if (server) {
      g.writeStringProperty("etcd.k3s.cattle.io/local-snapshots-timestamp", "2026-11-30T10:00:02Z");
      g.writeStringProperty("etcd.k3s.cattle.io/node-address", ip);
      g.writeStringProperty("etcd.k3s.cattle.io/node-name", SERVERS[i][2]);
    }
    g.writeStringProperty("flannel.alpha.coreos.com/backend-data", "{\"VNI\":1,\"VtepMAC\":\"5e:2a:7c:" + hex2(i) + ":10:0b\"}");
    g.writeStringProperty("flannel.alpha.coreos.com/backend-type", "vxlan");
    g.writeStringProperty("flannel.alpha.coreos.com/kube-subnet-manager", "true");
    g.writeStringProperty("flannel.alpha.coreos.com/public-ip", ip);
    g.writeStringProperty("k3s.io/hostname", name);
    g.writeStringProperty("k3s.io/internal-ip", ip);
    g.writeStringProperty("k3s.io/node-args", server ? "[\"server\",\"--cluster-init\",\"--disable\",\"traefik\"]" : "[\"agent\"]");
    g.writeStringProperty("k3s.io/node-config-hash", "J7ZQ" + Integer.toString(i * 7919, 36).toUpperCase() + "ABCDEFGHIJKLMNOPQRSTUVWX====");
    g.writeStringProperty("k3s.io/node-env", "{\"K3S_DATA_DIR\":\"/var/lib/rancher/k3s/data/3b2a\"}");
    g.writeStringProperty("node.alpha.kubernetes.io/ttl", "0");
    g.writeStringProperty("volumes.kubernetes.io/controller-managed-attach-detach", "true");
    g.writeEndObject();
    g.writeStringProperty("creationTimestamp", "2026-11-01T09:00:00Z");
    g.writeObjectPropertyStart("labels");
    g.writeStringProperty("beta.kubernetes.io/arch", "amd64");
    g.writeStringProperty("beta.kubernetes.io/instance-type", "k3s");
    g.writeStringProperty("beta.kubernetes.io/os", "linux");
    g.writeStringProperty("kubernetes.io/arch", "amd64");
    g.writeStringProperty("kubernetes.io/hostname", name);
    g.writeStringProperty("kubernetes.io/os", "linux");
    if (server) {
      g.writeStringProperty("node-role.kubernetes.io/control-plane", "true");
      g.writeStringProperty("node-role.kubernetes.io/etcd", "true");
      g.writeStringProperty("node-role.kubernetes.io/master", "true");
    }
    g.writeStringProperty("node.kubernetes.io/instance-type", "k3s");
    g.writeStringProperty("topology.kubernetes.io/region", "eu-west");
    g.writeStringProperty("topology.kubernetes.io/zone", "eu-west-" + (i % 3 + 1));
    g.writeEndObject();
    g.writeArrayPropertyStart("managedFields");
    for (String manager : new String[] {"k3s", "kubelet"}) {
      g.writeStartObject();
      g.writeStringProperty("apiVersion", "v1");
      g.writeStringProperty("fieldsType", "FieldsV1");
      g.writeObjectPropertyStart("fieldsV1");
      g.writeObjectPropertyStart("f:metadata");
      g.writeObjectPropertyStart("f:annotations");
      for (String f : new String[] {"f:k3s.io/hostname", "f:k3s.io/internal-ip", "f:k3s.io/node-args", "f:k3s.io/node-env", "."}) {
        g.writeObjectPropertyStart(f);
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeObjectPropertyStart("f:status");
      g.writeObjectPropertyStart("f:conditions");
      g.writeObjectPropertyStart("k:{\"type\":\"Ready\"}");
      g.writeObjectPropertyStart("f:lastHeartbeatTime");
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
      g.writeObjectPropertyStart("f:images");
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
      g.writeStringProperty("manager", manager);
      g.writeStringProperty("operation", "Update");
      g.writeStringProperty("time", "2026-11-30T10:00:00Z");
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringProperty("name", name);
    g.writeStringProperty("resourceVersion", String.valueOf(1_000_000 + i));
    g.writeStringProperty("uid", String.format("%08x-1c2d-4e5f-8a9b-%012x", i, i * 31L));
    g.writeEndObject();
    g.writeObjectPropertyStart("spec");
    g.writeStringProperty("podCIDR", "10.42." + (i % 250) + ".0/24");
    g.writeArrayPropertyStart("podCIDRs");
    g.writeString("10.42." + (i % 250) + ".0/24");
    g.writeEndArray();
    g.writeStringProperty("providerID", "k3s://" + name);
    if (server) {
      g.writeArrayPropertyStart("taints");
      g.writeStartObject();
      g.writeStringProperty("effect", "NoSchedule");
      g.writeStringProperty("key", "node-role.kubernetes.io/control-plane");
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeObjectPropertyStart("status");
    g.writeArrayPropertyStart("addresses");
    address(g, "InternalIP", ip);
    address(g, "Hostname", name);
    g.writeEndArray();
    for (String section : new String[] {"allocatable", "capacity"}) {
      g.writeObjectPropertyStart(section);
      g.writeStringProperty("cpu", "8");
      g.writeStringProperty("ephemeral-storage", "102626232Ki");
      g.writeStringProperty("hugepages-1Gi", "0");
      g.writeStringProperty("hugepages-2Mi", "0");
      g.writeStringProperty("memory", "32779148Ki");
      g.writeStringProperty("pods", "110");
      g.writeEndObject();
    }
    g.writeArrayPropertyStart("conditions");
    String[][] conditions = {
        {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
        {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
        {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
        {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
        {"EtcdIsVoter", "True", "MemberNotLearner", "Node is a voting member of the etcd cluster"}};
    for (String[] c : conditions) {
      g.writeStartObject();
      g.writeStringProperty("lastHeartbeatTime", "2026-11-30T10:00:00Z");
      g.writeStringProperty("lastTransitionTime", "2026-11-01T09:00:10Z");
      g.writeStringProperty("message", c[3]);
      g.writeStringProperty("reason", c[2]);
      g.writeStringProperty("status", c[1]);
      g.writeStringProperty("type", c[0]);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectPropertyStart("daemonEndpoints");
    g.writeObjectPropertyStart("kubeletEndpoint");
    g.writeNumberProperty("Port", 10250);
    g.writeEndObject();
    g.writeEndObject();
    g.writeArrayPropertyStart("images");
    for (int img = 0; img < IMAGES; img++) {
      g.writeStartObject();
      g.writeArrayPropertyStart("names");
      g.writeString("docker.io/example/workload-" + img + "@sha256:" + sha(i, img));
      g.writeString("docker.io/example/workload-" + img + ":v1." + img + ".0");
      g.writeEndArray();
      g.writeNumberProperty("sizeBytes", 40_000_000L + img * 1_234_567L);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectPropertyStart("nodeInfo");
    g.writeStringProperty("architecture", "amd64");
    g.writeStringProperty("bootID", String.format("%08x-aaaa-bbbb-cccc-%012x", i, i));
    g.writeStringProperty("containerRuntimeVersion", "containerd://1.7.23-k3s2");
    g.writeStringProperty("kernelVersion", "6.1.0-28-amd64");
    g.writeStringProperty("kubeProxyVersion", "v1.31.4+k3s1");
    g.writeStringProperty("kubeletVersion", "v1.31.4+k3s1");
    g.writeStringProperty("machineID", String.format("%032x", i * 104729L));
    g.writeStringProperty("operatingSystem", "linux");
    g.writeStringProperty("osImage", "Debian GNU/Linux 12 (bookworm)");
    g.writeStringProperty("systemUUID", String.format("%08x-0000-4000-8000-%012x", i, i));
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void address(JsonGenerator g, String type, String address) {
    g.writeStartObject();
    g.writeStringProperty("address", address);
    g.writeStringProperty("type", type);
    g.writeEndObject();
  }

  private static String hex2(int i) {
    return String.format("%02x", i & 0xff);
  }

  private static String sha(int node, int img) {
    // The same image has the same digest on every Node, as in a real cluster.
    return String.format("%064x", (long) img * 0x9E3779B97F4A7C15L & Long.MAX_VALUE).substring(0, 64);
  }
}
