package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The start's warm-up is best effort: it never blocks the start and no failure of a step escapes it. */
class StartupWarmUpTest {

  @Test
  void everyStepRunsInOrderAndAFailingStepIsRecordedNotThrown() throws Exception {
    StartupWarmUp warmUp = StartupWarmUp.start(List.of(
        new StartupWarmUp.Step("throws", () -> {
          throw new IllegalStateException("no etcd stand-in today");
        }),
        new StartupWarmUp.Step("linkage", () -> {
          throw new NoClassDefFoundError("io/grpc/Missing");
        }),
        new StartupWarmUp.Step("declines", () -> false),
        new StartupWarmUp.Step("works", () -> true)));

    Map<String, String> outcomes = warmUp.outcomes(10, TimeUnit.SECONDS);

    assertThat(outcomes).containsOnlyKeys("throws", "linkage", "declines", "works");
    assertThat(List.copyOf(outcomes.keySet())).containsExactly("throws", "linkage", "declines", "works");
    assertThat(outcomes.get("throws")).startsWith("failed: ").contains("no etcd stand-in today");
    assertThat(outcomes.get("linkage")).startsWith("failed: ").contains("io/grpc/Missing");
    assertThat(outcomes.get("declines")).isEqualTo("not done");
    assertThat(outcomes.get("works")).isEqualTo("done");
  }

  @Test
  void startReturnsAtOnceAndTheStepsRunOnADaemonThreadOfTheirOwn() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread[] ranOn = new Thread[1];
    StartupWarmUp warmUp = StartupWarmUp.start(List.of(new StartupWarmUp.Step("slow", () -> {
      ranOn[0] = Thread.currentThread();
      started.countDown();
      return release.await(10, TimeUnit.SECONDS);
    })));

    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> warmUp.outcomes(50, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(ranOn[0]).isNotSameAs(Thread.currentThread());
    assertThat(ranOn[0].isDaemon()).as("never keeps the JVM alive").isTrue();
    assertThat(ranOn[0].getName()).isEqualTo("etcdguard-warm-up");

    release.countDown();
    assertThat(warmUp.outcomes(10, TimeUnit.SECONDS)).containsEntry("slow", "done");
  }

  @Test
  void theClassificationStepRunsACheckPurePathToANonCompliantStatusWithEvents() {
    assertThat(StartupWarmUp.classifyAndCompose()).as("the made-up member is on an address its Node does not list").isTrue();
    assertThat(StartupWarmUp.operatorSteps()).extracting(StartupWarmUp.Step::name)
        .containsExactly("etcd client", "classification and status");
  }
}
