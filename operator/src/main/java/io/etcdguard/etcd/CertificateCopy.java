package io.etcdguard.etcd;

import static io.etcdguard.api.v1alpha1.EtcdTls.CA_KEY;
import static io.etcdguard.api.v1alpha1.EtcdTls.CERT_KEY;
import static io.etcdguard.api.v1alpha1.EtcdTls.KEY_KEY;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies an etcd CA, client certificate and key into a directory as {@code ca.crt}, {@code tls.crt} and
 * {@code tls.key}, owned by one group and readable by it (mode 0440), by nobody else.
 *
 * <p>This is the init step of the chart's hostPath certificate mode: a short-lived process running as UID 0
 * without capabilities reads the distribution's root-owned 0600 files (the owner needs no capability) and
 * leaves copies in an in-memory volume that the non-root operator reads through the pod's fsGroup. Changing
 * the group of a file one owns to a group one belongs to needs no {@code CAP_CHOWN} either.
 *
 * <p>All three sources are read and parsed (the key must belong to the certificate) before anything is
 * written; each copy goes to a temporary file in the target directory and is renamed into place only when
 * all three are complete, so a failure leaves no partial copy behind.
 */
public final class CertificateCopy {
  /** Mode of every copy: owner and group read, nothing else. */
  public static final Set<PosixFilePermission> COPY_MODE = PosixFilePermissions.fromString("r--r-----");
  private static final Set<PosixFilePermission> WHILE_WRITING = PosixFilePermissions.fromString("rw-------");

  /** The three files to copy. */
  public record Sources(Path ca, Path cert, Path key) {
  }

  private CertificateCopy() {
  }

  /**
   * @return the copies, in the order CA, certificate, key
   * @throws IllegalArgumentException naming the file when a source is missing, unreadable or not usable, or
   *     the target is not a writable directory
   */
  public static List<Path> copy(Sources sources, Path targetDir, int groupId) {
    if (groupId <= 0) {
      throw new IllegalArgumentException("--group " + groupId + ": must be a positive group ID (the pod's fsGroup)");
    }
    if (!Files.isDirectory(targetDir)) {
      throw new IllegalArgumentException("target directory " + targetDir + ": "
          + (Files.exists(targetDir) ? "not a directory" : "does not exist"));
    }
    // Reads and checks all three (names the file on failure) before writing anything.
    EtcdTlsMaterial material = EtcdTlsMaterial.fromFiles(sources.ca(), sources.cert(), sources.key());
    Map<String, byte[]> contents = new LinkedHashMap<>();
    contents.put(CA_KEY, material.caPem());
    contents.put(CERT_KEY, material.certChainPem());
    contents.put(KEY_KEY, material.keyPem());

    GroupPrincipal group = group(groupId);
    Map<Path, Path> written = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
        Path target = targetDir.resolve(entry.getKey());
        written.put(writeTemporary(targetDir, entry.getKey(), entry.getValue(), group), target);
      }
      List<Path> copies = new ArrayList<>();
      for (Map.Entry<Path, Path> temporary : written.entrySet()) {
        Files.move(temporary.getKey(), temporary.getValue(), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        copies.add(temporary.getValue());
      }
      written.clear();
      return copies;
    } catch (IOException e) {
      throw new IllegalArgumentException("target directory " + targetDir + ": cannot write the copies ("
          + describe(e) + ")", e);
    } finally {
      for (Path temporary : written.keySet()) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // The temporary name starts with a dot and ends in .tmp; nothing reads it.
        }
      }
    }
  }

  private static Path writeTemporary(Path dir, String name, byte[] content, GroupPrincipal group) throws IOException {
    Path temporary = Files.createTempFile(dir, "." + name + ".", ".tmp", PosixFilePermissions.asFileAttribute(WHILE_WRITING));
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
    // Group first, then the mode: the file is never readable by another group.
    view.setGroup(group);
    view.setPermissions(COPY_MODE);
    return temporary;
  }

  private static GroupPrincipal group(int groupId) {
    try {
      // A numeric name is taken as the GID when no group of that name exists (the image has no /etc/group entry).
      return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(String.valueOf(groupId));
    } catch (IOException e) {
      throw new IllegalArgumentException("--group " + groupId + ": not a usable group (" + describe(e) + ")", e);
    }
  }

  private static String describe(IOException e) {
    String reason = e.getClass().getSimpleName().replace("Exception", "");
    return e.getMessage() == null ? reason : reason + ": " + e.getMessage();
  }
}
