package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.classify.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Node's Ready condition reaches classification (MemberDownNodeNotReady needs it): read by NodeInfos, kept by the
 * slim NodeStore, and a change of it passes the informer's update filter (which compares NodeInfos) while a kubelet
 * heartbeat does not.
 */
class NodeReadyTest {
  @Test
  void readyIsTrueFalseOrUnknown() {
    assertThat(NodeInfos.from(node("True", "2026-11-30T12:00:00Z")).ready()).isTrue();
    assertThat(NodeInfos.from(node("False", "2026-11-30T12:00:00Z")).ready()).isFalse();
    assertThat(NodeInfos.from(node("Unknown", "2026-11-30T12:00:00Z")).ready()).isNull();
    assertThat(NodeInfos.from(new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build()).ready()).isNull();
  }

  @Test
  void theSlimStoreKeepsOnlyTheReadyStatus() {
    SlimItemStore<Node, NodeInfo> store = NodeStore.newSlimStore();
    store.put("k3s-1", node("False", "2026-11-30T12:00:00Z"));
    assertThat(store.view("k3s-1").ready()).isFalse();
    List<NodeCondition> kept = store.get("k3s-1").getStatus().getConditions();
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0).getType()).isEqualTo("Ready");
    assertThat(kept.get(0).getStatus()).isEqualTo("False");
    assertThat(kept.get(0).getLastHeartbeatTime()).isNull();
    assertThat(kept.get(0).getMessage()).isNull();

    store.put("k3s-1", node("True", "2026-11-30T12:05:00Z"));
    assertThat(store.view("k3s-1").ready()).isTrue();
  }

  @Test
  void aReadyChangeIsAChangeToClassificationAndAHeartbeatIsNot() {
    Node ready = node("True", "2026-11-30T12:00:00Z");
    Node heartbeat = node("True", "2026-11-30T12:00:10Z");
    Node notReady = node("False", "2026-11-30T12:00:50Z");
    assertThat(NodeInfos.from(heartbeat)).isEqualTo(NodeInfos.from(ready));
    assertThat(NodeInfos.from(notReady)).isNotEqualTo(NodeInfos.from(ready));
    assertThat(NodeInfos.from(NodeStore.slim(notReady))).isEqualTo(NodeInfos.from(notReady));
  }

  private static Node node(String readyStatus, String heartbeat) {
    return new NodeBuilder().withNewMetadata().withName("k3s-1").withResourceVersion("1").endMetadata()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("192.168.1.31").endAddress()
        .withConditions(
            new NodeConditionBuilder().withType("MemoryPressure").withStatus("False").withLastHeartbeatTime(heartbeat).build(),
            new NodeConditionBuilder().withType("Ready").withStatus(readyStatus).withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(heartbeat).build())
        .endStatus().build();
  }
}
