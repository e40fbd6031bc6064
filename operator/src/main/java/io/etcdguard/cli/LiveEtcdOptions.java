package io.etcdguard.cli;

import io.etcdguard.audit.InputException;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.etcd.EtcdClientConfig;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.etcd.JetcdMemberSource;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.policy.Defaults;
import io.etcdguard.classify.MembershipHealth;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Live etcd access for `audit`: the same flags etcdctl takes. */
final class LiveEtcdOptions {
  @Option(names = "--endpoints", paramLabel = "URL[,URL]", split = ",", required = true,
      description = "etcd client URLs, e.g. https://127.0.0.1:2379 (read-only: MemberList, and Status of each member).")
  List<String> endpoints;

  @Option(names = "--cacert", paramLabel = "FILE", description = "CA bundle that signed etcd's server certificate (PEM).")
  Path caFile;

  @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM).")
  Path certFile;

  @Option(names = "--key", paramLabel = "FILE", description = "Client private key (PEM: PKCS#8, EC or RSA).")
  Path keyFile;

  /** The member list and each member's own health. */
  record Observed(MemberListing listing, MembershipHealth health) {}

  Observed observe() throws InputException {
    if ((certFile == null) != (keyFile == null)) {
      throw new InputException("--cert and --key go together");
    }
    if (certFile != null && caFile == null) {
      throw new InputException("--cert and --key need --cacert as well");
    }
    EtcdClientConfig config;
    try {
      EtcdTlsMaterial tls = caFile == null ? null : EtcdTlsMaterial.fromFiles(caFile, certFile, keyFile);
      config = EtcdClientConfig.of(endpoints, Defaults.DIAL_TIMEOUT, Defaults.requestTimeout(Defaults.DIAL_TIMEOUT), tls);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    try (JetcdMemberSource source = new JetcdMemberSource(config)) {
      MemberListing listing = source.listMembers();
      return new Observed(listing, source.membershipHealth(listing));
    } catch (EtcdAccessException e) {
      throw new InputException(e.getMessage(), e);
    }
  }
}
