package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Getter;
import lombok.Setter;

/** Either a Secret reference or file paths: K3s, RKE2 and kubeadm keep their etcd client certs on the host. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.secretRef) && (has(self.caFile) || has(self.certFile) || has(self.keyFile)))",
    message = "etcd.tls: set either secretRef or caFile/certFile/keyFile, not both")
@ValidationRule(value = "has(self.secretRef) || has(self.caFile)",
    message = "etcd.tls: set secretRef, or caFile (with certFile and keyFile for client authentication)")
@ValidationRule(value = "has(self.certFile) == has(self.keyFile)",
    message = "etcd.tls: certFile and keyFile go together")
@Getter
@Setter
public class EtcdTls {
  public static final String CA_KEY = "ca.crt";
  public static final String CERT_KEY = "tls.crt";
  public static final String KEY_KEY = "tls.key";

  @JsonPropertyDescription("A Secret holding ca.crt, tls.crt and tls.key (PEM).")
  private SecretReference secretRef;

  @JsonPropertyDescription("Path of the CA bundle (PEM) inside the operator's pod, e.g. /var/lib/rancher/k3s/server/tls/etcd/server-ca.crt.")
  private String caFile;

  @JsonPropertyDescription("Path of the client certificate (PEM) inside the operator's pod.")
  private String certFile;

  @JsonPropertyDescription("Path of the client private key (PEM, PKCS#8 or PKCS#1/SEC1) inside the operator's pod.")
  private String keyFile;
}
