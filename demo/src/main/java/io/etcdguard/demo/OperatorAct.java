package io.etcdguard.demo;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.etcdguard.testkit.PrinterColumns;
import io.etcdguard.testkit.LocalEtcdCluster.MemberInfo;
import io.etcdguard.operator.GuardOperator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The demo's second act: the real operator reconciling a NodeAddressPolicy against an in-process API
 * server (fabric8's CRUD mock) and the same real etcd, shown as an admin would see it with kubectl and
 * curl.
 */
public final class OperatorAct {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String POLICY = "k3s-etcd";

  private final Narrator story;

  public OperatorAct(Narrator story) {
    this.story = story;
  }

  /**
   * Runs the act; the cluster must be healthy when it starts and is healthy again when it returns.
   *
   * @return null on success, else what went wrong
   */
  public String run(LocalEtcdCluster etcd, Map<String, String> nodeForMember, String temporaryIpv6) throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      KubernetesClient client = api.client();
      for (MemberInfo m : etcd.members()) {
        api.createK3sNode(nodeForMember.get(m.name()), m.name(), m.ip());
      }
      try (GuardOperator operator = new GuardOperator(client,
          new GuardOperator.Settings(0, null, "demo-operator", Duration.ofSeconds(1)))) {
        operator.start();
        story.act("The operator: the same engine in a cluster (an in-process API server, the same etcd)");
        NodeAddressPolicy policy = Policies.forEndpoints(POLICY, etcd.clientEndpoints(), "5s");
        story.say("   $ kubectl apply -f - <<EOF");
        story.say("   apiVersion: etcdguard.io/v1alpha1\n   kind: NodeAddressPolicy\n   metadata: {name: %s}\n   spec:\n"
            + "     etcd: {endpoints: [%s]}\n     checkInterval: 5s\n   EOF", POLICY, String.join(", ", etcd.clientEndpoints()));
        client.resource(policy).create();
        if (await(client, s -> "True".equals(Conditions.status(s, "Compliant"))) == null) {
          return "the policy never became Compliant";
        }
        getNap(client, api);

        story.act("losangeles' member moves to the temporary IPv6 address again; the next check sees it");
        MemberInfo losangeles = etcd.members().get(0);
        String temporaryUrl = "http://[" + temporaryIpv6 + "]:" + losangeles.peerPort();
        story.say("   $ etcdctl member update %s --peer-urls=%s", Long.toHexString(etcd.memberId(losangeles.name())), temporaryUrl);
        etcd.updatePeerUrl(losangeles.name(), temporaryUrl);
        if (await(client, s -> "False".equals(Conditions.status(s, "Compliant"))) == null) {
          return "the operator did not report the temporary IPv6 peer URL";
        }
        getNap(client, api);
        if (!describeNodeEvents(client, nodeForMember.get(losangeles.name()), "TemporaryIPv6Address")) {
          return "no Warning TemporaryIPv6Address Event on node " + nodeForMember.get(losangeles.name());
        }
        story.say("   $ curl -s localhost:%d/metrics | grep '^etcdguard_member_violation'", operator.metricsPort());
        List<String> violations = scrape(operator.metricsPort()).stream().filter(l -> l.startsWith("etcdguard_member_violation")).toList();
        violations.forEach(l -> story.say("   %s", l));
        if (violations.isEmpty()) {
          return "no etcdguard_member_violation series on /metrics";
        }

        story.act("The member is moved back: a Normal event, the series gone, Compliant=True");
        story.say("   $ etcdctl member update %s --peer-urls=%s", Long.toHexString(etcd.memberId(losangeles.name())), losangeles.peerUrl());
        etcd.updatePeerUrl(losangeles.name(), losangeles.peerUrl());
        if (await(client, s -> "True".equals(Conditions.status(s, "Compliant"))) == null) {
          return "the operator did not report the fix";
        }
        getNap(client, api);
        if (!describeNodeEvents(client, nodeForMember.get(losangeles.name()), "MemberCompliant")) {
          return "no Normal MemberCompliant Event on node " + nodeForMember.get(losangeles.name());
        }
        story.say("   $ curl -s localhost:%d/metrics | grep -c '^etcdguard_member_violation'", operator.metricsPort());
        long left = scrape(operator.metricsPort()).stream().filter(l -> l.startsWith("etcdguard_member_violation")).count();
        story.say("   %d", left);
        return left == 0 ? null : "violation series left after the fix";
      }
    }
  }

  private NodeAddressPolicyStatus await(KubernetesClient client, Predicate<NodeAddressPolicyStatus> condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      NodeAddressPolicy p = client.resources(NodeAddressPolicy.class).withName(POLICY).get();
      if (p != null && p.getStatus() != null && condition.test(p.getStatus())) {
        return p.getStatus();
      }
      Thread.sleep(200);
    }
    return null;
  }

  /** `kubectl get nap`, from the CRD's own printer columns. */
  private void getNap(KubernetesClient client, MockApiServer api) {
    story.say("   $ kubectl get nodeaddresspolicies");
    List<CustomResourceColumnDefinition> columns = api.crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .sorted(Comparator.comparing(c -> order(c.getName()))).toList();
    Map<String, Object> object = client.genericKubernetesResources("etcdguard.io/v1alpha1", "NodeAddressPolicy")
        .withName(POLICY).get().getAdditionalProperties();
    object.put("metadata", Map.of("creationTimestamp",
        client.resources(NodeAddressPolicy.class).withName(POLICY).get().getMetadata().getCreationTimestamp()));
    List<String> header = new ArrayList<>(List.of("NAME"));
    List<String> row = new ArrayList<>(List.of(POLICY));
    for (CustomResourceColumnDefinition c : columns) {
      header.add(c.getName().toUpperCase());
      String value = PrinterColumns.eval(object, c.getJsonPath());
      row.add("date".equals(c.getType()) ? age(value) : value);
    }
    story.say("   %s", table(header, row));
  }

  /** kubectl's column order: as declared in the CRD (the generator sorts them by name). */
  private static int order(String column) {
    return List.of("Members", "Violations", "Compliant", "Etcd", "Healthy", "Fault Tolerance", "Last Check", "Age").indexOf(column);
  }

  /**
   * `kubectl describe node`'s Events, once one with the expected reason is there: Events are sent only after the
   * status that remembers them is written, so they can trail the status the demo waited for. False after {@link #WAIT}.
   */
  private boolean describeNodeEvents(KubernetesClient client, String node, String expectedReason) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    List<Event> events = nodeEvents(client, node);
    while (events.stream().noneMatch(e -> expectedReason.equals(e.getReason())) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      events = nodeEvents(client, node);
    }
    story.say("   $ kubectl describe node %s   (Events:)", node);
    story.say("     %-8s %-22s %-19s %s", "Type", "Reason", "From", "Message");
    events.forEach(e -> story.say("     %-8s %-22s %-19s %s", e.getType(), e.getReason(), e.getReportingComponent(), e.getMessage()));
    return events.stream().anyMatch(e -> expectedReason.equals(e.getReason()));
  }

  private static List<Event> nodeEvents(KubernetesClient client, String node) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "Node".equals(e.getInvolvedObject().getKind()) && node.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(Event::getLastTimestamp)).toList();
  }

  private static List<String> scrape(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    return response.body().lines().filter(l -> !l.startsWith("#")).toList();
  }

  private static String age(String timestamp) {
    if (timestamp == null || timestamp.equals("<none>")) {
      return "<none>";
    }
    long seconds = Math.max(0, Duration.between(Instant.parse(timestamp), Instant.now()).toSeconds());
    return seconds + "s";
  }

  private static String table(List<String> header, List<String> row) {
    StringBuilder h = new StringBuilder();
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < header.size(); i++) {
      int width = Math.max(header.get(i).length(), row.get(i).length()) + 3;
      h.append(String.format("%-" + width + "s", header.get(i)));
      r.append(String.format("%-" + width + "s", row.get(i)));
    }
    return h.toString().stripTrailing() + "\n   " + r.toString().stripTrailing();
  }


}
