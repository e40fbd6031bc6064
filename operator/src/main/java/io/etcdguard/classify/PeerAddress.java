package io.etcdguard.classify;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The host part of an etcd peer or client URL, parsed without DNS.
 *
 * @param url the URL as etcd reports it
 * @param host the host as written (brackets removed, zone kept)
 * @param literal the IP when the host is a literal (IPv4-mapped IPv6 collapsed to IPv4), else null
 * @param zone the IPv6 zone ("eth0" from {@code %25eth0}), or null
 */
public record PeerAddress(String url, String host, InetAddress literal, String zone) {

  /**
   * Parses a URL such as {@code https://192.168.1.30:2380}, {@code https://[fd00::1]:2380},
   * {@code https://[fe80::1%25eth0]:2380} or {@code https://etcd-1.example:2380}.
   *
   * @throws IllegalArgumentException when the text is not a URL with a host
   */
  public static PeerAddress parse(String url) {
    String authority;
    try {
      authority = new URI(url.trim()).getRawAuthority();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
    }
    if (authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("URL has no host: '" + url + "'");
    }
    String host;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in URL: '" + url + "'");
      }
      host = authority.substring(1, close);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon >= 0 ? authority.substring(0, colon) : authority;
    }
    host = URLDecoder.decode(host, StandardCharsets.UTF_8);
    String zone = null;
    String bare = host;
    int percent = host.indexOf('%');
    if (percent >= 0) {
      zone = host.substring(percent + 1);
      bare = host.substring(0, percent);
    }
    return new PeerAddress(url, host, parseLiteral(bare).orElse(null), zone);
  }

  /**
   * An IP literal without DNS; IPv4-mapped IPv6 comes back as the IPv4 it carries (the JDK's
   * {@code InetAddress.getByAddress}, under Guava's parser, returns an {@code Inet4Address} for it).
   */
  public static Optional<InetAddress> parseLiteral(String text) {
    if (text == null || !InetAddresses.isInetAddress(text)) {
      return Optional.empty();
    }
    return Optional.of(InetAddresses.forString(text));
  }

  public boolean isHostname() {
    return literal == null;
  }

  /** The address as people write it: 192.168.1.30, fd00::1 (compressed, lower case), or the hostname. */
  public String display() {
    return literal == null ? host.toLowerCase(Locale.ROOT) : toText(literal);
  }

  public static String toText(InetAddress address) {
    return InetAddresses.toAddrString(address);
  }

  /** The IP family of an address. */
  public static Family familyOf(InetAddress address) {
    return address instanceof Inet4Address ? Family.IPv4 : Family.IPv6;
  }

  public enum Family {
    IPv4,
    IPv6
  }
}
