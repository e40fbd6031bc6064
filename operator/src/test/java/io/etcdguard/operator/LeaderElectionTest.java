package io.etcdguard.operator;

import io.etcdguard.etcd.EtcdClientPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.testkit.Policies;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.etcd.MemberListing;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election: one holds the Lease and checks etcd; the other waits, and takes
 * over when the leader stops. etcd is a fake here: what is counted is who asks it.
 */
class LeaderElectionTest {
  @Test
  void onlyTheLeaseHolderReconcilesAndTheOtherTakesOver() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      AtomicInteger askedByA = new AtomicInteger();
      AtomicInteger askedByB = new AtomicInteger();
      GuardOperator a = replica(api, "replica-a", askedByA);
      GuardOperator b = replica(api, "replica-b", askedByB);
      try {
        a.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> holder(api) != null);
        b.start();
        api.client().resource(Policies.forEndpoints("p", List.of("http://127.0.0.1:2379"), "5s")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> askedByA.get() > 0);
        assertThat(holder(api)).isEqualTo("replica-a");
        assertThat(askedByB).as("the standby replica never asks etcd").hasValue(0);

        a.close();
        a = null;
        await().atMost(Duration.ofSeconds(60)).until(() -> askedByB.get() > 0);
        assertThat(holder(api)).isEqualTo("replica-b");
      } finally {
        if (a != null) {
          a.close();
        }
        b.close();
      }
    }
  }

  static GuardOperator replica(MockApiServer api, String identity, AtomicInteger asked) throws Exception {
    return new GuardOperator(api.client(), new GuardOperator.Settings(0, "default", identity, Duration.ofSeconds(1)),
        config -> new EtcdClientPool.PooledSource() {
          @Override
          public MemberListing listMembers() throws EtcdAccessException {
            asked.incrementAndGet();
            return new MemberListing(1, List.of());
          }

          @Override
          public void close() {}
        });
  }

  static String holder(MockApiServer api) {
    Lease lease = api.client().leases().inNamespace("default").withName(GuardOperator.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
