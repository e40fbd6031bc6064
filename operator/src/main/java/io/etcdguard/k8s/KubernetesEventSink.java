package io.etcdguard.k8s;

import io.etcdguard.status.PlannedEvent;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.MicroTimeBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events, which `kubectl describe node` and `kubectl describe nap` show. Events about
 * cluster-scoped objects live in the "default" namespace, as the API server's own do.
 */
public final class KubernetesEventSink implements EventSink {
  public static final String REPORTING_CONTROLLER = "etcd-address-guard";
  static final String EVENT_NAMESPACE = "default";
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventSink.class);

  private final KubernetesClient client;
  private final String reportingInstance;
  private final Function<String, Node> nodeLookup;
  private final Clock clock;

  /**
   * @param nodeLookup the Node by name from the operator's cache (for its UID), or null when gone
   */
  public KubernetesEventSink(KubernetesClient client, String reportingInstance, Function<String, Node> nodeLookup, Clock clock) {
    this.client = client;
    this.reportingInstance = reportingInstance;
    this.nodeLookup = nodeLookup;
    this.clock = clock;
  }

  @Override
  public void emit(NodeAddressPolicy policy, PlannedEvent event) {
    create(new ObjectReferenceBuilder().withApiVersion(policy.getApiVersion()).withKind(policy.getKind())
        .withName(policy.getMetadata().getName()).withUid(policy.getMetadata().getUid()).build(), policy, event);
    if (event.nodeName() != null) {
      Node node = nodeLookup.apply(event.nodeName());
      create(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName(event.nodeName())
          .withUid(node == null ? null : node.getMetadata().getUid()).build(), policy, event);
    }
  }

  private void create(ObjectReference regarding, NodeAddressPolicy policy, PlannedEvent planned) {
    Instant now = clock.instant();
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    String name = eventName(policy.getMetadata().getName(), regarding, planned);
    var events = client.v1().events().inNamespace(EVENT_NAMESPACE);
    try {
      Event existing = events.withName(name).get();
      if (existing == null) {
        try {
          events.resource(newEvent(name, regarding, planned, now, ts)).create();
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
            throw e;
          }
          // created meanwhile (another replica, a concurrent check): bump it instead
        }
      }
      events.withName(name).edit(event -> {
        event.setCount((event.getCount() == null ? 1 : event.getCount()) + 1);
        event.setLastTimestamp(ts);
        event.setMessage(truncate(planned.message()));
        event.setType(planned.warning() ? "Warning" : "Normal");
        event.setInvolvedObject(regarding);
        event.setReportingInstance(reportingInstance);
        return event;
      });
    } catch (KubernetesClientException e) {
      LOG.warn("could not record {} event {} on {} {}: {}", planned.warning() ? "Warning" : "Normal", planned.reason(),
          regarding.getKind(), regarding.getName(), ApiFailures.reason(e));
    }
  }

  private Event newEvent(String name, ObjectReference regarding, PlannedEvent planned, Instant now, String ts) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(EVENT_NAMESPACE)
        .endMetadata()
        .withInvolvedObject(regarding)
        .withType(planned.warning() ? "Warning" : "Normal")
        .withReason(planned.reason())
        .withMessage(truncate(planned.message()))
        .withAction("Check")
        .withSource(new EventSource(REPORTING_CONTROLLER, null))
        .withReportingComponent(REPORTING_CONTROLLER)
        .withReportingInstance(reportingInstance)
        .withFirstTimestamp(ts)
        .withLastTimestamp(ts)
        .withEventTime(new MicroTimeBuilder().withTime(DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MICROS))).build())
        .withCount(1)
        .build();
  }

  /**
   * One name per (object, reason, member, reporting policy): the object's name and a hash of its kind, name,
   * the reason, the member ID and the policy. A repeat finds the Event and bumps its count and lastTimestamp
   * (as client-go's Event aggregation does), instead of adding another.
   */
  public static String eventName(String policy, ObjectReference regarding, PlannedEvent planned) {
    String identity = regarding.getKind() + "/" + regarding.getName() + "/" + planned.reason() + "/"
        + (planned.memberId() == null ? "" : planned.memberId()) + "/" + policy;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      String prefix = regarding.getName().length() > 200 ? regarding.getName().substring(0, 200) : regarding.getName();
      return prefix + "." + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }

  /** The API server refuses messages over 1 KiB. */
  static String truncate(String message) {
    return message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
  }
}
