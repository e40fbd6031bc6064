package io.etcdguard.cli;

import io.etcdguard.etcd.CertificateCopy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "copy-certs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Copies the etcd client certificate files for a non-root reader (the chart's init step).",
        "Writes the CA, client certificate and key into DIR as ca.crt, tls.crt and tls.key, owned by GID and "
            + "readable by that group only (mode 0440).",
        "The init step of the Helm chart's hostPath certificate mode: runs as UID 0 without capabilities, so the "
            + "long-running operator can stay non-root.",
        "Reads and checks all three files first and writes nothing unless all of them are usable.",
        "Exit status: 0 copied, 2 bad usage or a missing, unreadable or unusable file (one line naming it)."},
    footer = {"", "Example:",
        "  etcd-address-guard copy-certs --cacert /host/server-ca.crt --cert /host/client.crt --key /host/client.key \\",
        "      --to /etc/etcd-address-guard/etcd-client --group 65532"})
public final class CopyCertsCommand implements Callable<Integer> {
  /** The operator's group in the image and the chart's fsGroup. */
  static final int DEFAULT_GROUP = 65532;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--cacert", paramLabel = "FILE", required = true, description = "CA bundle that signed etcd's server certificate (PEM).")
  Path caFile;

  @Option(names = "--cert", paramLabel = "FILE", required = true, description = "Client certificate (PEM).")
  Path certFile;

  @Option(names = "--key", paramLabel = "FILE", required = true, description = "Client private key (PEM).")
  Path keyFile;

  @Option(names = "--to", paramLabel = "DIR", required = true, description = "Existing directory for the copies (an in-memory emptyDir in the chart).")
  Path targetDir;

  @Option(names = "--group", paramLabel = "GID", defaultValue = "" + DEFAULT_GROUP,
      description = "Group that may read the copies (the pod's fsGroup). Default: ${DEFAULT-VALUE}.")
  int group;

  @Override
  public Integer call() {
    List<Path> copies = CertificateCopy.copy(new CertificateCopy.Sources(caFile, certFile, keyFile), targetDir, group);
    PrintWriter out = spec.commandLine().getOut();
    List<Path> sources = List.of(caFile, certFile, keyFile);
    for (int i = 0; i < copies.size(); i++) {
      out.println("copied " + sources.get(i) + " -> " + copies.get(i) + " (group " + group + ", mode 0440)");
    }
    out.flush();
    return Main.EXIT_OK;
  }
}
