package io.etcdguard.audit;

import io.etcdguard.etcd.EtcdFailureClassifier;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.host.NodeAddressReports;
import io.etcdguard.host.NodeHostReport;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.etcd.MemberListing;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the audit CLI's input files: `etcdctl member list -w json`, `kubectl get nodes -o json|yaml`
 * and a NodeAddressPolicy YAML. Every error is an {@link InputException} whose one-line message names the
 * file and, where there is one, the field.
 *
 * <p>Member and Node files are streamed token by token (JSON through Jackson's streaming parser, YAML through
 * Jackson's YAML parser over snakeyaml-engine) and only what classification needs is kept, so a
 * 5,000-Node cluster is read in well under a second with little memory. Limits, documented in README.md:
 * a file must be a regular file of at most {@link #MAX_FILE_BYTES} bytes of UTF-8 text, nested at most
 * {@link #MAX_NESTING_DEPTH} deep.
 */
public final class InputFiles {
  /** Bound on an input file: 4x a 5,000-Node `kubectl get nodes -o json` with 50 images per Node. */
  public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;
  public static final int MAX_NESTING_DEPTH = 200;

  private static final long JSON_SCAN_BYTES = 1 << 16;

  private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
      .maxNestingDepth(MAX_NESTING_DEPTH)
      .maxDocumentLength(MAX_FILE_BYTES)
      .build();
  private static final JsonFactory JSON_FACTORY = JsonFactory.builder().streamReadConstraints(LIMITS).build();

  private InputFiles() {}

  // ---- members ----

  public static MemberListing readMembers(Path file) throws InputException {
    return read(file, parser -> MemberListReader.read(file, parser));
  }

  // ---- nodes ----

  public static List<NodeInfo> readNodes(Path file) throws InputException {
    return read(file, parser -> NodeListReader.read(file, parser));
  }

  // ---- policy ----

  /** Policies are small; they are read into a tree and bound strictly (unknown fields are errors). */
  public static NodeAddressPolicy readPolicy(Path file) throws InputException {
    JsonNode root = read(file, parser -> {
      JsonNode tree = PolicyMapper.STRICT.readTree(parser);
      endRoot(file, parser);
      return tree;
    });
    if (root == null || !root.isObject()) {
      throw new InputException(file + ": expected a JSON or YAML object at the top");
    }
    String kind = root.path("kind").asString("");
    if (!NodeAddressPolicy.KIND.equals(kind)) {
      throw new InputException(file + ": kind: expected " + NodeAddressPolicy.KIND + ", found '" + kind + "'");
    }
    try {
      return PolicyMapper.STRICT.treeToValue(root, NodeAddressPolicy.class);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : " (known: "
          + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
      throw new InputException(file + ": " + fieldPath(e) + ": unknown field" + known);
    } catch (JacksonException e) {
      throw new InputException(file + ": " + fieldPath(e) + ": " + EtcdFailureClassifier.firstLine(e.getOriginalMessage()));
    }
  }

  /**
   * Node agents' reports: the output of {@code agent --once -o json} (one NodeAddressReport) or a
   * {@code kubectl get nodeaddressreports -o json|yaml} List. Each is parsed into the host model; a malformed one
   * is an error naming the file, the report and its field.
   */
  public static List<NodeHostReport> readReports(Path file) throws InputException {
    JsonNode root = read(file, parser -> {
      JsonNode tree = ReportMapper.LENIENT.readTree(parser);
      endRoot(file, parser);
      return tree;
    });
    if (root == null || !root.isObject()) {
      throw new InputException(file + ": expected a JSON or YAML object at the top");
    }
    List<JsonNode> items = new ArrayList<>();
    String kind = root.path("kind").asString("");
    if (NodeAddressReport.KIND.equals(kind)) {
      items.add(root);
    } else if (root.path("items").isArray()) {
      root.path("items").forEach(items::add);
    } else {
      throw new InputException(file + ": kind: expected " + NodeAddressReport.KIND + " or a List of them, found '" + kind + "'");
    }
    List<NodeHostReport> reports = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = items.size() == 1 && item == root ? "" : "items[" + i + "]: ";
      String itemKind = item.path("kind").asString("");
      if (!itemKind.isEmpty() && !NodeAddressReport.KIND.equals(itemKind)) {
        throw new InputException(file + ": " + at + "kind: expected " + NodeAddressReport.KIND + ", found '" + itemKind + "'");
      }
      try {
        reports.add(NodeAddressReports.toHostReport(ReportMapper.LENIENT.treeToValue(item, NodeAddressReport.class)));
      } catch (IllegalArgumentException e) {
        throw new InputException(file + ": " + at + e.getMessage());
      } catch (JacksonException e) {
        throw new InputException(file + ": " + at + fieldPath(e) + ": " + EtcdFailureClassifier.firstLine(e.getOriginalMessage()));
      }
    }
    return reports;
  }

  /** Reports may carry fields of a newer agent: unknown ones are skipped. */
  private static final class ReportMapper {
    static final ObjectMapper LENIENT = YAMLMapper.builder(yamlFactory())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /** Databind only for the (optional) policy file: the member and Node paths never load it. */
  private static final class PolicyMapper {
    static final ObjectMapper STRICT = YAMLMapper.builder(yamlFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
  }

  // ---- shared: file checks, format detection, parser errors ----

  @FunctionalInterface
  interface TokenReader<T> {
    T read(JsonParser parser) throws InputException;
  }

  /** The two formats an input may have, told apart by the first non-blank character. */
  enum Format { JSON, YAML }

  static <T> T read(Path file, TokenReader<T> reader) throws InputException {
    Format format = check(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        JsonParser parser = factory(format).createParser(ObjectReadContext.empty(), in)) {
      return reader.read(parser);
    } catch (JacksonException e) {
      throw new InputException(file + ": " + describe(format, e));
    } catch (YamlEngineException e) {
      throw new InputException(file + ": malformed YAML: " + EtcdFailureClassifier.firstLine(e.getMessage()));
    } catch (UncheckedIOException e) {
      throw new InputException(file + ": cannot read: " + e.getCause().getMessage());
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static TokenStreamFactory factory(Format format) {
    return format == Format.JSON ? JSON_FACTORY : YamlHolder.FACTORY;
  }

  /** Loaded only for YAML input. */
  private static final class YamlHolder {
    static final YAMLFactory FACTORY = yamlFactory();
  }

  static YAMLFactory yamlFactory() {
    // snakeyaml-engine refuses documents over 3 MiB code points by default; a code point is at least a byte,
    // so the file size bound is also a bound on code points.
    LoadSettings settings = LoadSettings.builder().setCodePointLimit((int) Math.min(Integer.MAX_VALUE, MAX_FILE_BYTES))
        .setMaxAliasesForCollections(50).build();
    return YAMLFactory.builder().loadSettings(settings).streamReadConstraints(LIMITS).build();
  }

  /**
   * Refuses what is not a readable regular UTF-8 text file within the size bound (devices such as /dev/zero,
   * FIFOs, directories, binaries) before any parser sees it, and says whether it holds JSON or YAML.
   * Streams/stdin are not accepted: their size is unknown and `-` would be read as a file name.
   */
  static Format check(Path file) throws InputException {
    if (file.toString().equals("-")) {
      throw new InputException("-: reading standard input is not supported; save the output to a file first");
    }
    if (!Files.exists(file)) {
      throw new InputException(file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + ": not a regular file (a directory, device or pipe); save the output to a file first");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (size > MAX_FILE_BYTES) {
      throw new InputException(file + ": " + mib(size) + " is above the input limit of " + mib(MAX_FILE_BYTES));
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    Format format = null;
    long offset = 0;
    ByteBuffer bytes = ByteBuffer.allocate(1 << 13);
    CharBuffer chars = CharBuffer.allocate(1 << 13);
    try (InputStream in = Files.newInputStream(file)) {
      while (true) {
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        boolean end = n < 0;
        if (!end) {
          bytes.position(bytes.position() + n);
        }
        bytes.flip();
        int start = bytes.position();
        CoderResult result = decoder.decode(bytes, chars, end);
        if (result.isError()) {
          throw new InputException(file + ": not JSON or YAML text: invalid UTF-8 at byte " + (offset + bytes.position()));
        }
        offset += bytes.position() - start;
        chars.flip();
        if (format == null) {
          format = formatOf(chars);
        }
        chars.clear();
        bytes.compact();
        // JSON: the parser checks the UTF-8 of every value it keeps, so only the start is scanned (a binary
        // file shows at once). YAML: the whole file, as the YAML reader's own errors would not say where.
        if (end || (format == Format.JSON && offset >= JSON_SCAN_BYTES)) {
          break;
        }
      }
    } catch (AccessDeniedException e) {
      throw new InputException(file + ": cannot read: permission denied");
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (format == null) {
      throw new InputException(file + ": empty file");
    }
    return format;
  }

  /** JSON if the first character that is not blank (or a byte-order mark) opens an object or array. */
  private static Format formatOf(CharBuffer chars) {
    while (chars.hasRemaining()) {
      char c = chars.get();
      if (c == '{' || c == '[') {
        return Format.JSON;
      }
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        return Format.YAML;
      }
    }
    return null;
  }

  private static String describe(Format format, JacksonException e) {
    // Jackson appends "(start marker at [Source: REDACTED ...])": noise on a one-line error.
    String message = EtcdFailureClassifier.firstLine(e.getOriginalMessage()).replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "");
    TokenStreamLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String kind = format == Format.JSON ? "JSON" : "YAML";
    if (e instanceof tools.jackson.core.exc.StreamConstraintsException) {
      return kind + " beyond the input limits" + where + ": " + message.replaceAll(", from `[^`]*`", "");
    }
    return "malformed " + kind + where + ": " + message;
  }

  static String mib(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : String.format("%.1f MiB", bytes / 1048576.0);
  }

  /** spec.etcd.endpoints[0] from Jackson's reference chain. */
  static String fieldPath(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(top level)" : sb.toString();
  }


  // ---- token helpers shared by the readers ----

  /** Moves to the next token; a document that ends early is malformed. */
  static JsonToken next(Path file, JsonParser p) throws InputException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new InputException(file + ": unexpected end of input");
    }
    return t;
  }

  /** The root must be an object, and nothing may follow it. */
  static void startRoot(Path file, JsonParser p, String expected) throws InputException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new InputException(file + ": empty document; expected " + expected);
    }
    if (t != JsonToken.START_OBJECT) {
      throw new InputException(file + ": expected a JSON or YAML object at the top (" + expected + ")");
    }
  }

  static void endRoot(Path file, JsonParser p) throws InputException {
    if (p.nextToken() != null) {
      throw new InputException(file + ": unexpected content after the top-level object (more than one document?)");
    }
  }

  /** {@code field} names the value in the message: a String or a {@link FieldPath}, spelled out only on error. */
  static void expect(Path file, JsonParser p, JsonToken token, Object field, String what) throws InputException {
    if (p.currentToken() != token) {
      throw new InputException(file + ": " + field + ": expected " + what + ", found " + found(p));
    }
  }

  /** A scalar as text (YAML may write a label value true or 1 unquoted); null for null. */
  static String scalar(Path file, JsonParser p, Object field) throws InputException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t.isScalarValue() && t != JsonToken.VALUE_EMBEDDED_OBJECT) {
      return p.getString();
    }
    throw new InputException(file + ": " + field + ": expected a string, found " + found(p));
  }

  static String found(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "\"" + MemberIds.abbreviate(p.getString()) + "\"";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> MemberIds.abbreviate(p.getString());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }
}
