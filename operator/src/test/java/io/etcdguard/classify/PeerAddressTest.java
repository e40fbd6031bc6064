package io.etcdguard.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerAddressTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "https://192.168.1.30:2380                           | 192.168.1.30 | null | false",
      "https://[fd00:c0ff:ee:0:da69:8213:dd0b:aac3]:2380   | fd00:c0ff:ee:0:da69:8213:dd0b:aac3 | null | false",
      "https://[FD00:C0FF:EE::1]:2380                      | fd00:c0ff:ee::1 | null | false",
      "https://[fe80::1%25eth0]:2380                       | fe80::1 | eth0 | false",
      "https://[::ffff:192.168.1.30]:2380                  | 192.168.1.30 | null | false",
      "http://127.0.0.30:2380                              | 127.0.0.30 | null | false",
      "https://etcd-1.Example.internal:2380                | etcd-1.example.internal | null | true",
      "https://192.168.1.30                                | 192.168.1.30 | null | false",
  })
  void parsesPeerUrlsWithoutDns(String url, String display, String zone, boolean hostname) {
    PeerAddress a = PeerAddress.parse(url);
    assertThat(a.display()).isEqualTo(display);
    assertThat(a.zone()).isEqualTo(zone);
    assertThat(a.isHostname()).isEqualTo(hostname);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"not a url | not a URL", "https:// | not a URL", "https://[fd00::1:2380 | not a URL", "mailto:someone | no host"})
  void rejectsWhatIsNoUrlNamingIt(String url, String why) {
    assertThatThrownBy(() -> PeerAddress.parse(url)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
  }

  @ParameterizedTest
  @CsvSource({"::ffff:10.1.2.3,10.1.2.3", "10.1.2.3,10.1.2.3"})
  void mappedIpv4IsIpv4(String text, String expected) {
    assertThat(PeerAddress.parseLiteral(text).orElseThrow()).isInstanceOf(Inet4Address.class)
        .extracting(PeerAddress::toText).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "192.168.1.0/24 | 192.168.1.30 | true", "192.168.1.0/24 | 192.168.2.30 | false",
      "192.168.1.30/24 | 192.168.1.1 | true", "10.0.0.0/8 | fd00::1 | false",
      "fd00:c0ff:ee::/48 | fd00:c0ff:ee:0:da69:8213:dd0b:aac3 | true", "fd00::/64 | fd00:0:0:1::1 | false",
      "0.0.0.0/0 | 8.8.8.8 | true", "192.168.1.0/25 | 192.168.1.200 | false"})
  void cidrContainment(String cidr, String ip, boolean inside) {
    assertThat(Cidr.parse(cidr).contains(PeerAddress.parseLiteral(ip).orElseThrow())).isEqualTo(inside);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"192.168.1.0 | not a CIDR", "192.168.1.0/33 | 0..32", "fd00::/129 | 0..128",
      "example.com/24 | bad address", "10.0.0.0/x | bad prefix"})
  void rejectsBadCidrsNamingThem(String text, String why) {
    assertThatThrownBy(() -> Cidr.parse(text)).hasMessageContaining(text.trim()).hasMessageContaining(why);
  }
}
