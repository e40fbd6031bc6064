package io.etcdguard.packaging;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a tar stream entry by entry: enough for an image tarball (docker-save layout) and its layers. Knows
 * ustar name prefixes, PAX extended headers (Jib's layers carry them) and GNU long names; nothing else.
 */
final class TarReader {
  private static final int BLOCK = 512;

  /** One regular file or directory; {@code content} is read only when the caller asks for it. */
  record Entry(String name, long size, boolean directory, InputStream content) {
    byte[] bytes() throws IOException {
      return content.readAllBytes();
    }
  }

  /** Whatever the consumer throws is passed through; it may leave the content unread. */
  interface EntryConsumer {
    void accept(Entry entry) throws IOException;
  }

  private TarReader() {
  }

  static void forEach(InputStream tar, EntryConsumer consumer) throws IOException {
    String longName = null;
    while (true) {
      byte[] header = tar.readNBytes(BLOCK);
      if (header.length < BLOCK || isZero(header)) {
        return;
      }
      String name = text(header, 0, 100);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      String prefix = text(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      if (type == 'x' || type == 'L') {
        // The next entry's real name: a PAX "path" record or a GNU long name.
        String extended = new String(readFully(tar, size), StandardCharsets.UTF_8);
        skip(tar, padding(size));
        String path = type == 'L' ? extended.replace("\0", "") : paxPath(extended);
        if (path != null) {
          longName = path;
        }
        continue;
      }
      if (type == 'g') {
        skip(tar, size + padding(size));
        continue;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      BoundedInputStream content = new BoundedInputStream(tar, size);
      consumer.accept(new Entry(name, size, type == '5' || name.endsWith("/"), content));
      content.skipRest();
      skip(tar, padding(size));
    }
  }

  private static String paxPath(String records) {
    // Records are "<length> <key>=<value>\n".
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    String digits = text(header, offset, length).trim();
    return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static byte[] readFully(InputStream in, long size) throws IOException {
    byte[] bytes = in.readNBytes((int) size);
    if (bytes.length < size) {
      throw new EOFException("tar entry truncated");
    }
    return bytes;
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    in.skipNBytes(bytes);
  }

  /** The content of one entry: reads stop at its end. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    void skipRest() throws IOException {
      in.skipNBytes(left);
      left = 0;
    }

    @Override
    public void close() {
      // The tar stream stays open for the next entry.
    }
  }
}
