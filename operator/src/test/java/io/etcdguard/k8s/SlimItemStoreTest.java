package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.k8s.SlimItemStore.Indexed;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The informer-store mechanism the Node and report stores share: slim objects by key, views by name. */
class SlimItemStoreTest {
  /** Keeps only data.about; the view is data.about's value, by that value; no view without one. */
  final SlimItemStore<ConfigMap, String> store = new SlimItemStore<>(
      cm -> new ConfigMapBuilder().withNewMetadata().withName(cm.getMetadata().getName()).endMetadata()
          .withData(cm.getData() == null || !cm.getData().containsKey("about") ? Map.of() : Map.of("about", cm.getData().get("about")))
          .build(),
      cm -> cm.getData().containsKey("about") ? new Indexed<>(cm.getData().get("about"), "view of " + cm.getMetadata().getName()) : null);

  @Test
  void keepsTheSlimObjectByKeyAndItsViewByName() {
    store.put("r1", report("r1", Map.of("about", "node-a", "noise", "x".repeat(1000))));
    assertThat(store.get("r1").getData()).containsOnlyKeys("about");
    assertThat(store.view("node-a")).isEqualTo("view of r1");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly("r1");
  }

  @Test
  void aChangeOfNameMovesTheView() {
    store.put("r1", report("r1", Map.of("about", "node-a")));
    store.put("r1", report("r1", Map.of("about", "node-b")));
    assertThat(store.view("node-a")).isNull();
    assertThat(store.viewsByName()).containsOnlyKeys("node-b");
  }

  @Test
  void anObjectWithoutAViewIsKeptWithoutOneAndDropsItsOldView() {
    store.put("r1", report("r1", Map.of("about", "node-a")));
    store.put("r1", report("r1", Map.of()));
    assertThat(store.get("r1")).isNotNull();
    assertThat(store.views()).isEmpty();
  }

  @Test
  void removingDropsObjectAndView() {
    store.put("r1", report("r1", Map.of("about", "node-a")));
    assertThat(store.remove("r1").getMetadata().getName()).isEqualTo("r1");
    assertThat(store.get("r1")).isNull();
    assertThat(store.view("node-a")).isNull();
    assertThat(store.remove("r1")).isNull();
  }

  @Test
  void theKeyIsTheInformersNamespaceSlashName() {
    assertThat(store.getKey(new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName("r1").endMetadata().build()))
        .isEqualTo("ns/r1");
  }

  static ConfigMap report(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
  }
}
