package io.etcdguard.classify;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The little of a Kubernetes Node that classification and advice need. Kept small on purpose: a Node
 * object carries images and conditions, and the operator holds thousands of these. Addresses are parsed
 * once, here, so that no rule parses text.
 */
public final class NodeInfo {
  /** K3s/RKE2 annotations naming the etcd member of a Node, and the address it registered. */
  public static final List<String> MEMBER_NAME_ANNOTATIONS =
      List.of("etcd.k3s.cattle.io/node-name", "etcd.rke2.cattle.io/node-name");

  public static final List<String> MEMBER_ADDRESS_ANNOTATIONS =
      List.of("etcd.k3s.cattle.io/node-address", "etcd.rke2.cattle.io/node-address");

  /** The Node condition whose status {@link #ready()} keeps. */
  public static final String READY_CONDITION = "Ready";

  private final String name;
  private final Map<String, String> labels;
  /** The annotations but node-args; {@link #annotations()} adds the slim node-args when first asked. */
  private final Map<String, String> otherAnnotations;
  /**
   * The node-args annotation that counts (RKE2's when both are there) and its value as given, or null. Never exposed:
   * {@link #annotations()} and {@link #nodeArgs()} give only its address flags. The operator's stores build the
   * NodeInfos they keep from slim Nodes, whose node-args is already cut down (NodeStore.slim).
   */
  private final String nodeArgsKey;
  private final String nodeArgsValue;
  private final List<String> internalIPs;
  private final List<String> otherAddresses;
  private final String kubeletVersion;
  private final String osImage;
  private final List<InetAddress> internalAddresses;
  private final List<InetAddress> otherInetAddresses;
  private final Boolean ready;
  /*
   * Memoized on first use: most Nodes of a large cluster run no etcd member, and no rule asks for their node-args.
   * Both are immutable (final fields only) and computed from final fields, so a racing second computation is
   * harmless and an unsynchronized read sees either null or a whole value.
   */
  private NodeArgs nodeArgs;
  private Map<String, String> annotations;

  /**
   * @param internalIPs the Node's InternalIP addresses, in the order the Node lists them
   * @param otherAddresses ExternalIP addresses (used only to match a member to its Node)
   * @param kubeletVersion status.nodeInfo.kubeletVersion (e.g. v1.31.4+k3s1), or null
   * @param osImage status.nodeInfo.osImage (e.g. Talos (v1.9.0)), or null
   * @param ready the Node's Ready condition: true, false, or null when it is Unknown or missing
   */
  public NodeInfo(String name, Map<String, String> labels, Map<String, String> annotations, List<String> internalIPs,
      List<String> otherAddresses, String kubeletVersion, String osImage, Boolean ready) {
    this.name = Objects.requireNonNull(name, "name");
    this.labels = Map.copyOf(labels);
    String argsKey = NodeArgs.keyOf(annotations);
    this.nodeArgsKey = argsKey;
    this.nodeArgsValue = argsKey == null ? null : annotations.get(argsKey);
    this.otherAnnotations = argsKey == null ? Map.copyOf(annotations) : withoutNodeArgs(annotations);
    this.internalIPs = List.copyOf(internalIPs);
    this.otherAddresses = List.copyOf(otherAddresses);
    this.kubeletVersion = kubeletVersion;
    this.osImage = osImage;
    this.internalAddresses = parse(this.internalIPs);
    this.otherInetAddresses = parse(this.otherAddresses);
    this.ready = ready;
  }

  /** A Node whose Ready condition is not known. */
  public NodeInfo(String name, Map<String, String> labels, Map<String, String> annotations, List<String> internalIPs,
      List<String> otherAddresses, String kubeletVersion, String osImage) {
    this(name, labels, annotations, internalIPs, otherAddresses, kubeletVersion, osImage, null);
  }

  public NodeInfo(String name, Map<String, String> labels, Map<String, String> annotations, List<String> internalIPs,
      List<String> otherAddresses) {
    this(name, labels, annotations, internalIPs, otherAddresses, null, null);
  }

  private static Map<String, String> withoutNodeArgs(Map<String, String> annotations) {
    Map<String, String> copy = new java.util.HashMap<>(annotations);
    NodeArgs.ANNOTATIONS.forEach(copy::remove);
    return Map.copyOf(copy);
  }

  private static List<InetAddress> parse(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    java.util.ArrayList<InetAddress> addresses = new java.util.ArrayList<>(texts.size());
    for (String text : texts) {
      PeerAddress.parseLiteral(text).ifPresent(addresses::add);
    }
    return List.copyOf(addresses);
  }

  public String name() {
    return name;
  }

  public Map<String, String> labels() {
    return labels;
  }

  /** The kept annotations; a node-args annotation holds only its address flags (see {@link NodeArgs#slimAnnotationValue()}). */
  public Map<String, String> annotations() {
    Map<String, String> result = annotations;
    if (result == null) {
      if (nodeArgsKey == null) {
        result = otherAnnotations;
      } else {
        // The node-args annotation is kept only as its address flags (it can hold sensitive flags).
        Map<String, String> copy = new java.util.HashMap<>(otherAnnotations);
        copy.put(nodeArgsKey, nodeArgs().slimAnnotationValue());
        result = Map.copyOf(copy);
      }
      annotations = result;
    }
    return result;
  }

  /**
   * The address flags K3s/RKE2 recorded in node-args; {@link NodeArgs#ABSENT} when the Node has none. Read on first
   * use: an unreadable annotation is a {@link NodeArgs#problem()} here, never an error when the Node is read.
   */
  public NodeArgs nodeArgs() {
    NodeArgs result = nodeArgs;
    if (result == null) {
      result = nodeArgsKey == null ? NodeArgs.ABSENT : NodeArgs.parse(nodeArgsKey, nodeArgsValue);
      nodeArgs = result;
    }
    return result;
  }

  public List<String> internalIPs() {
    return internalIPs;
  }

  public List<String> otherAddresses() {
    return otherAddresses;
  }

  public String kubeletVersion() {
    return kubeletVersion;
  }

  public String osImage() {
    return osImage;
  }

  /**
   * The Node's Ready condition: true, false (NotReady: the kubelet reported a problem, or K3s/RKE2, which run the
   * kubelet in the server process, did not start), or null when it is Unknown or was not read.
   */
  public Boolean ready() {
    return ready;
  }

  /** A Ready condition's status as {@link #ready()} holds it: "True" true, "False" false, else ("Unknown") null. */
  public static Boolean readyFromStatus(String status) {
    return "True".equals(status) ? Boolean.TRUE : "False".equals(status) ? Boolean.FALSE : null;
  }

  /** The InternalIPs that parse as IP literals, in the Node's order. */
  public List<InetAddress> internalAddresses() {
    return internalAddresses;
  }

  /** The ExternalIPs that parse as IP literals. */
  public List<InetAddress> otherInetAddresses() {
    return otherInetAddresses;
  }

  public boolean hasInternalIp(InetAddress ip) {
    return internalAddresses.contains(ip);
  }

  /** One of the Node's InternalIP or ExternalIP addresses. */
  public boolean hasAddress(InetAddress ip) {
    return internalAddresses.contains(ip) || otherInetAddresses.contains(ip);
  }

  public Optional<InetAddress> firstInternalAddress() {
    return internalAddresses.stream().findFirst();
  }

  /** The member name a K3s or RKE2 Node declares, or null. */
  public String declaredMemberName() {
    for (String key : MEMBER_NAME_ANNOTATIONS) {
      String value = otherAnnotations.get(key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeInfo n
        && name.equals(n.name)
        && labels.equals(n.labels)
        && annotations().equals(n.annotations())
        && internalIPs.equals(n.internalIPs)
        && otherAddresses.equals(n.otherAddresses)
        && Objects.equals(kubeletVersion, n.kubeletVersion)
        && Objects.equals(osImage, n.osImage)
        && Objects.equals(ready, n.ready);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, labels, annotations(), internalIPs, otherAddresses, kubeletVersion, osImage, ready);
  }

  @Override
  public String toString() {
    return "NodeInfo[" + name + " " + internalIPs + (ready == null ? "" : ready ? " Ready" : " NotReady") + "]";
  }
}
