package io.etcdguard.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The warm-up runs a check's etcd calls end to end against its in-process stand-in, and leaves nothing behind. */
class EtcdWarmUpTest {

  @Test
  void askingTheStandInRunsMemberListAndTheMembersStatusLikeACheck() {
    EtcdWarmUp.Result result = EtcdWarmUp.run();

    assertThat(result.failure()).isNull();
    assertThat(result.memberAnswered()).as("the stand-in member answered its own Status").isTrue();
    assertThat(result.succeeded()).isTrue();
  }

  @Test
  void itCanRunAgainAndLeavesNoThreadOfItsOwn() {
    assertThat(EtcdWarmUp.run().succeeded()).isTrue();
    Set<String> before = threadNames();

    assertThat(EtcdWarmUp.run().succeeded()).isTrue();

    // The stand-in serves on the shared event loops; the only threads are the transport's own.
    assertThat(threadNames()).allMatch(name -> before.contains(name) || name.startsWith("etcd-"));
  }

  private static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toSet());
  }
}
