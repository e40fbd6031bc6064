package io.etcdguard.bench;

import io.etcdguard.k8s.LabelSelectors;
import io.etcdguard.k8s.NodeInfos;
import io.etcdguard.k8s.NodeStore;
import io.etcdguard.policy.Defaults;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1Builder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How much the informer's slim Node store saves on a 5,000-Node cluster, and how fast a policy's Node
 * selection is. Run: ./mvnw -B -pl operator -am -Pbench verify (prints ratios; asserts nothing).
 */
public final class NodeStoreBench {
  static final int NODES = 5_000;

  public static void main(String[] args) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(realisticNode(i));
    }
    long full = retained(() -> {
      List<Node> copies = new ArrayList<>();
      nodes.forEach(n -> copies.add(new NodeBuilder(n).build()));
      return copies;
    });
    long slim = retained(() -> {
      var store = NodeStore.newSlimStore();
      nodes.forEach(n -> store.put(n.getMetadata().getName(), n));
      return store;
    });
    var store = NodeStore.newSlimStore();
    nodes.forEach(n -> store.put(n.getMetadata().getName(), n));
    var selector = Defaults.nodeSelector();
    int rounds = 200;
    long selected = 0;
    long start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      selected += store.views().stream().filter(n -> LabelSelectors.matches(selector, n.labels())).count();
    }
    double selectMicros = (System.nanoTime() - start) / 1_000.0 / rounds;
    long scanStart = System.nanoTime();
    long scanned = 0;
    for (int r = 0; r < rounds; r++) {
      scanned += nodes.stream().map(NodeInfos::from).filter(n -> LabelSelectors.matches(selector, n.labels())).count();
    }
    double scanMicros = (System.nanoTime() - scanStart) / 1_000.0 / rounds;

    System.out.printf("NodeStoreBench: %d Nodes (20 images, 5 conditions, managed fields each)%n", NODES);
    System.out.printf("  heap, full Nodes:            %8.1f MiB%n", full / 1048576.0);
    System.out.printf("  heap, NodeStore (slim+info): %8.1f MiB%n", slim / 1048576.0);
    System.out.printf("  ratio slim/full:             %8.3f%n", (double) slim / full);
    System.out.printf("  select(etcd role), cached:   %8.0f us per check (%d selected)%n", selectMicros, selected / rounds);
    System.out.printf("  select by converting Nodes:  %8.0f us per check (%d selected)%n", scanMicros, scanned / rounds);
    System.out.printf("  ratio cached/converting:     %8.3f%n", selectMicros / scanMicros);
  }

  /** Heap kept alive by what the supplier builds (median of 3, after GC). */
  static long retained(java.util.function.Supplier<Object> build) {
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long before = used();
      Object kept = build.get();
      long after = used();
      samples.add(after - before);
      if (kept.hashCode() == 42) {
        System.out.print("");
      }
    }
    samples.sort(null);
    return samples.get(1);
  }

  static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  static Node realisticNode(int i) {
    String name = "node-" + i;
    boolean etcd = i < 3;
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + i).withResourceVersion(String.valueOf(i))
        .withLabels(etcd ? Map.of("node-role.kubernetes.io/etcd", "true", "kubernetes.io/hostname", name)
            : Map.of("kubernetes.io/hostname", name, "topology.kubernetes.io/zone", "zone-" + (i % 3)))
        .withAnnotations(Map.of("etcd.k3s.cattle.io/node-name", name + "-0ac72af5", "node.alpha.kubernetes.io/ttl", "0",
            "volumes.kubernetes.io/controller-managed-attach-detach", "true", "k3s.io/node-args", "[\"server\",\"--disable\",\"traefik\"]"))
        .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update")
            .withFieldsV1(new FieldsV1Builder().addToAdditionalProperties("f:status", Map.of("f:conditions", Map.of(), "f:images", Map.of())).build())
            .build())
        .endMetadata()
        .withNewSpec().withPodCIDR("10.42." + (i % 250) + ".0/24").endSpec()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("10." + (i / 250) + "." + (i % 250) + ".1").endAddress()
        .addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus();
    for (int c = 0; c < 5; c++) {
      b.editStatus().addToConditions(new NodeConditionBuilder().withType("Condition" + c).withStatus("False")
          .withReason("KubeletHasSufficient" + c).withMessage("kubelet has sufficient resource " + c)
          .withLastHeartbeatTime("2026-11-25T10:00:00Z").withLastTransitionTime("2026-11-20T10:00:00Z").build()).endStatus();
    }
    for (int img = 0; img < 20; img++) {
      b.editStatus().addToImages(new ContainerImageBuilder()
          .withNames("registry.example/app-" + img + "@sha256:" + "ab".repeat(32), "registry.example/app-" + img + ":v1." + img)
          .withSizeBytes(50_000_000L + img).build()).endStatus();
    }
    return b.editStatus().withNewNodeInfo().withKubeletVersion("v1.31.4+k3s1").withOsImage("Debian GNU/Linux 12 (bookworm)")
        .withKernelVersion("6.1.0-28-amd64").withContainerRuntimeVersion("containerd://1.7.23-k3s2").withMachineID("m" + i)
        .withSystemUUID("s" + i).withBootID("b" + i).withArchitecture("amd64").withOperatingSystem("linux").endNodeInfo().endStatus()
        .build();
  }
}
