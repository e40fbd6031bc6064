package io.etcdguard.k8s;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.api.v1alpha1.SecretReference;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.etcd.TlsMaterialException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Reads a policy's TLS material: a Secret (a `get` of that one Secret per check) or files in the pod. */
public class TlsMaterialLoader {
  private final KubernetesClient client;

  public TlsMaterialLoader(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @throws TlsMaterialException naming the Secret or file and key when the material is missing or bad
   */
  public EtcdTlsMaterial load(EtcdTls tls) {
    if (tls.getSecretRef() == null) {
      return EtcdTlsMaterial.fromFiles(Path.of(tls.getCaFile()),
          tls.getCertFile() == null ? null : Path.of(tls.getCertFile()),
          tls.getKeyFile() == null ? null : Path.of(tls.getKeyFile()));
    }
    SecretReference ref = tls.getSecretRef();
    String description = "Secret " + ref.getNamespace() + "/" + ref.getName();
    Secret secret;
    try {
      secret = client.secrets().inNamespace(ref.getNamespace()).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      throw new TlsMaterialException(description + " cannot be read: " + e.getMessage());
    }
    if (secret == null) {
      throw new TlsMaterialException(description + " not found (spec.etcd.tls.secretRef)");
    }
    Map<String, byte[]> data = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return EtcdTlsMaterial.fromSecretData(description, data);
  }
}
