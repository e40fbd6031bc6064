package io.etcdguard.audit;

import io.etcdguard.audit.MemberIds.IdException;
import io.etcdguard.audit.MemberIds.Notation;
import io.etcdguard.audit.MemberIds.RawId;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.etcd.MemberListing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams `etcdctl member list -w json` (or `--hex`, or etcd's JSON gateway): header.cluster_id and each
 * member's ID, name, peerURLs, clientURLs and isLearner; every other field is skipped unread.
 */
final class MemberListReader {
  private static final String EXPECTED = "the output of `etcdctl member list -w json`";

  private record RawMember(RawId id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {}

  private MemberListReader() {}

  static MemberListing read(Path file, JsonParser p) throws InputException {
    InputFiles.startRoot(file, p, EXPECTED);
    RawId clusterId = null;
    RawId headerMemberId = null;
    List<RawMember> members = null;
    while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      InputFiles.next(file, p);
      switch (name) {
        case "header" -> {
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            break;
          }
          InputFiles.expect(file, p, JsonToken.START_OBJECT, "header", "an object");
          while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            InputFiles.next(file, p);
            if (field.equals("cluster_id")) {
              clusterId = rawId(file, p, "header.cluster_id");
            } else if (field.equals("member_id") && p.currentToken() == JsonToken.VALUE_STRING) {
              headerMemberId = new RawId("header.member_id", p.getString(), false); // only a hint of the notation
            } else {
              p.skipChildren();
            }
          }
        }
        case "members" -> members = members(file, p);
        default -> p.skipChildren();
      }
    }
    InputFiles.endRoot(file, p);
    if (members == null) {
      throw new InputException(file + ": 'members' array not found; expected " + EXPECTED);
    }
    List<RawId> ids = new ArrayList<>();
    if (clusterId != null) {
      ids.add(clusterId);
    }
    if (headerMemberId != null) {
      ids.add(headerMemberId);
    }
    members.forEach(m -> ids.add(m.id()));
    try {
      Notation notation = MemberIds.notationOf(ids);
      long cluster = clusterId == null ? 0 : MemberIds.parse(clusterId, notation);
      List<EtcdMember> result = new ArrayList<>(members.size());
      for (RawMember m : members) {
        result.add(new EtcdMember(MemberIds.parse(m.id(), notation), m.name(), m.peerUrls(), m.clientUrls(), m.learner()));
      }
      return new MemberListing(cluster, result);
    } catch (IdException e) {
      throw new InputException(file + ": " + e.getMessage());
    }
  }

  private static List<RawMember> members(Path file, JsonParser p) throws InputException {
    InputFiles.expect(file, p, JsonToken.START_ARRAY, "members", "a list");
    List<RawMember> members = new ArrayList<>();
    while (InputFiles.next(file, p) != JsonToken.END_ARRAY) {
      String at = "members[" + members.size() + "]";
      InputFiles.expect(file, p, JsonToken.START_OBJECT, at, "an object");
      RawId id = null;
      String name = "";
      List<String> peerUrls = List.of();
      List<String> clientUrls = List.of();
      boolean learner = false;
      while (InputFiles.next(file, p) == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        InputFiles.next(file, p);
        switch (field) {
          case "ID" -> id = rawId(file, p, at + ".ID");
          case "name" -> name = text(file, p, at + ".name");
          case "peerURLs" -> peerUrls = urls(file, p, at + ".peerURLs");
          case "clientURLs" -> clientUrls = urls(file, p, at + ".clientURLs");
          case "isLearner" -> learner = bool(file, p, at + ".isLearner");
          default -> p.skipChildren();
        }
      }
      if (id == null) {
        throw new InputException(file + ": " + at + ".ID: missing");
      }
      members.add(new RawMember(id, name, peerUrls, clientUrls, learner));
    }
    return members;
  }

  private static RawId rawId(Path file, JsonParser p, String field) throws InputException {
    return switch (p.currentToken()) {
      case VALUE_NUMBER_INT -> new RawId(field, p.getBigIntegerValue().toString(), true);
      case VALUE_STRING -> new RawId(field, p.getString(), false);
      default -> throw new InputException(file + ": " + field + ": expected an unsigned 64-bit number, found " + InputFiles.found(p));
    };
  }

  private static String text(Path file, JsonParser p, String field) throws InputException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return "";
    }
    InputFiles.expect(file, p, JsonToken.VALUE_STRING, field, "a string");
    return p.getString();
  }

  private static boolean bool(Path file, JsonParser p, String field) throws InputException {
    return switch (p.currentToken()) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE, VALUE_NULL -> false;
      default -> throw new InputException(file + ": " + field + ": expected true or false, found " + InputFiles.found(p));
    };
  }

  private static List<String> urls(Path file, JsonParser p, String field) throws InputException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of();
    }
    InputFiles.expect(file, p, JsonToken.START_ARRAY, field, "a list of URLs");
    List<String> urls = new ArrayList<>();
    while (InputFiles.next(file, p) != JsonToken.END_ARRAY) {
      urls.add(text(file, p, field + "[" + urls.size() + "]"));
    }
    return urls;
  }
}
