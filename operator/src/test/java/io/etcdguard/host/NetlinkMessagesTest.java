package io.etcdguard.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.host.NetlinkMessages.AddressMessage;
import io.etcdguard.host.NetlinkMessages.Batch;
import io.etcdguard.host.NetlinkMessages.LinkMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parsing real rtnetlink dumps, captured (little-endian, sequence 42) from a network namespace where the kernel had
 * made a temporary address: veth egcap1 (ifindex 7) with 10.99.0.2/24, the template fd00:c0ff:ee::1e/64
 * (mngtmpaddr noprefixroute), its temporary fd00:c0ff:ee:0:7b34:dd9f:e62c:a813 and a link-local address.
 * One hex line per received chunk; the last chunk holds NLMSG_DONE.
 */
class NetlinkMessagesTest {
  private static final int CAPTURE_SEQ = 42;

  @Test
  void parsesTheAddressDumpInKernelOrderWithAllFlagsAndLifetimes() throws IOException {
    List<AddressMessage> messages = new ArrayList<>();
    boolean done = false;
    for (byte[] chunk : chunks("rtm-getaddr-dump.hex")) {
      Batch batch = NetlinkMessages.parse(chunk, chunk.length, CAPTURE_SEQ, ByteOrder.LITTLE_ENDIAN);
      messages.addAll(batch.addresses());
      done = batch.done();
    }
    assertThat(done).isTrue();
    List<HostAddress> addresses = messages.stream().map(m -> m.toHostAddress(Map.of(7, "egcap1"))).toList();
    assertThat(addresses).extracting(HostAddress::text)
        .containsExactly("10.99.0.2", "fd00:c0ff:ee:0:7b34:dd9f:e62c:a813", "fd00:c0ff:ee::1e", "fe80::58d7:caff:fecf:cef6");
    assertThat(addresses).extracting(HostAddress::interfaceName).containsOnly("egcap1");

    HostAddress ipv4 = addresses.get(0);
    assertThat(ipv4.family()).isEqualTo(IpFamily.IPV4);
    assertThat(ipv4.prefixLength()).isEqualTo(24);
    assertThat(ipv4.flags().permanent()).isTrue();
    assertThat(ipv4.validLifetime()).isEqualTo(Lifetime.FOREVER);

    HostAddress temporary = addresses.get(1);
    assertThat(temporary.flags()).isEqualTo(AddressFlags.fromBits(AddressFlags.IFA_F_TEMPORARY));
    assertThat(temporary.validLifetime()).isEqualTo(Lifetime.seconds(604_789));
    assertThat(temporary.preferredLifetime()).isEqualTo(Lifetime.seconds(85_798));
    assertThat(temporary.scope()).isEqualTo(HostAddress.RT_SCOPE_UNIVERSE);

    HostAddress template = addresses.get(2);
    assertThat(template.flags().mngtmpaddr()).as("IFA_F_MNGTMPADDR, from the 32-bit IFA_FLAGS").isTrue();
    assertThat(template.flags().noprefixroute()).isTrue();
    assertThat(template.flags().permanent()).isTrue();
    assertThat(template.flags().temporary()).isFalse();
    assertThat(template.validLifetime()).isEqualTo(Lifetime.FOREVER);

    HostAddress linkLocal = addresses.get(3);
    assertThat(linkLocal.scope()).isEqualTo(HostAddress.RT_SCOPE_LINK);
    assertThat(linkLocal.scopeName()).isEqualTo("link");
  }

  @Test
  void parsesTheLinkDump() throws IOException {
    List<LinkMessage> links = new ArrayList<>();
    for (byte[] chunk : chunks("rtm-getlink-dump.hex")) {
      links.addAll(NetlinkMessages.parse(chunk, chunk.length, CAPTURE_SEQ, ByteOrder.LITTLE_ENDIAN).links());
    }
    assertThat(links).extracting(LinkMessage::ifindex, LinkMessage::name).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, "lo"), org.assertj.core.groups.Tuple.tuple(7, "egcap1"));
    assertThat(links.get(0).toInterface()).isEqualTo(new NetInterface(1, "lo", false, true));
    assertThat(links.get(1).toInterface()).isEqualTo(new NetInterface(7, "egcap1", true, false));
  }

  @Test
  void messagesOfAnotherRequestAreSkipped() throws IOException {
    byte[] chunk = chunks("rtm-getaddr-dump.hex").get(0);
    Batch batch = NetlinkMessages.parse(chunk, chunk.length, CAPTURE_SEQ + 1, ByteOrder.LITTLE_ENDIAN);
    assertThat(batch.addresses()).isEmpty();
    assertThat(batch.done()).isFalse();
  }

  @Test
  void buildsTheDumpRequestsTheKernelExpects() {
    byte[] request = NetlinkMessages.addressDumpRequest(NetlinkMessages.AF_UNSPEC, 7, ByteOrder.LITTLE_ENDIAN);
    // nlmsghdr: len 24, type RTM_GETADDR (22), flags REQUEST|DUMP (0x301), seq 7, pid 0; ifaddrmsg: all zero
    assertThat(HexFormat.of().formatHex(request)).isEqualTo("18000000" + "1600" + "0103" + "07000000" + "00000000" + "0000000000000000");
    byte[] links = NetlinkMessages.linkDumpRequest(7, ByteOrder.BIG_ENDIAN);
    assertThat(HexFormat.of().formatHex(links)).isEqualTo("00000020" + "0012" + "0301" + "00000007" + "00000000" + "00".repeat(16));
  }

  @Test
  void anErrorAnswerBecomesAnExceptionWithTheErrno() {
    ByteBuffer error = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
    error.putInt(36).putShort((short) NetlinkMessages.NLMSG_ERROR).putShort((short) 0).putInt(5).putInt(0);
    error.putInt(-13); // EACCES, then the echoed request header
    byte[] bytes = error.array();
    assertThatThrownBy(() -> NetlinkMessages.parse(bytes, bytes.length, 5, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(NetlinkMessages.NetlinkErrorException.class)
        .hasMessageContaining("errno 13")
        .extracting(e -> ((NetlinkMessages.NetlinkErrorException) e).errno()).isEqualTo(13);
  }

  @Test
  void aTruncatedMessageIsRefusedNamingTheOffset() throws IOException {
    byte[] chunk = chunks("rtm-getaddr-dump.hex").get(0);
    assertThatThrownBy(() -> NetlinkMessages.parse(chunk, 60, CAPTURE_SEQ, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 0");
  }

  @Test
  void anAttributeLongerThanItsMessageIsRefused() {
    ByteBuffer message = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    message.putInt(32).putShort((short) NetlinkMessages.RTM_NEWADDR).putShort((short) 2).putInt(1).putInt(0);
    message.put((byte) 2).put((byte) 24).put((byte) 0).put((byte) 0).putInt(3);
    message.putShort((short) 40).putShort((short) 1).putInt(0x0a000001); // IFA_ADDRESS claiming 40 bytes
    byte[] bytes = message.array();
    assertThatThrownBy(() -> NetlinkMessages.parse(bytes, bytes.length, 1, ByteOrder.LITTLE_ENDIAN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rtattr at offset 24 claims 40 bytes");
  }

  static List<byte[]> chunks(String resource) throws IOException {
    try (InputStream in = NetlinkMessagesTest.class.getResourceAsStream("/host/" + resource)) {
      assertThat(in).as("test resource host/%s", resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .filter(line -> !line.isBlank()).map(line -> HexFormat.of().parseHex(line.trim())).toList();
    }
  }
}
