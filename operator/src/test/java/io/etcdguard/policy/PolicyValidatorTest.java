package io.etcdguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.etcd.EtcdClientConfig;
import io.etcdguard.policy.PolicyValidator.EtcdSettings;
import io.etcdguard.policy.PolicyValidator.MissingSelector;
import io.etcdguard.testkit.Policies;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The validate step: one rule per endpoint (the same as the CLI's), the defaults, and the client config it gives. */
class PolicyValidatorTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      http://127.0.0.1:99999        | spec.etcd.endpoints[0] | has port 99999, not 1-65535
      https://10.0.0.1:2379/v3/kv   | spec.etcd.endpoints[0] | is not a URL such as https://10.0.0.1:2379
      ftp://10.0.0.1:2379           | spec.etcd.endpoints[0] | is not a URL such as https://10.0.0.1:2379
      """)
  void aBadEndpointIsAProblemNamingItsField(String endpoint, String field, String problem) {
    NodeAddressPolicy policy = Policies.forEndpoints("p", List.of(endpoint), "30s");
    assertThatThrownBy(() -> PolicyValidator.validate(policy.getSpec(), EtcdSettings.REQUIRED, MissingSelector.DEFAULT))
        .isInstanceOf(PolicyInvalidException.class)
        .hasMessageContaining(field + ": ")
        .hasMessageContaining(problem);
  }

  @Test
  void aValidPolicyGivesTheEtcdClientConfigWithTheDefaults() throws PolicyInvalidException {
    NodeAddressPolicy policy = Policies.forEndpoints("p", List.of("http://127.0.0.1", "http://[::1]:12379/"), "1m");

    ValidatedPolicy validated = PolicyValidator.validate(policy.getSpec(), EtcdSettings.REQUIRED, MissingSelector.DEFAULT);
    EtcdClientConfig config = validated.etcdClientConfig(null);

    assertThat(config.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"), URI.create("http://[::1]:12379"));
    assertThat(config.dialTimeout()).isEqualTo(Defaults.DIAL_TIMEOUT);
    assertThat(config.requestTimeout()).isEqualTo(Defaults.DIAL_TIMEOUT.plus(Defaults.REQUEST_ALLOWANCE));
    assertThat(validated.checkInterval()).hasSeconds(60);
    assertThat(validated.nodeSelector()).isEqualTo(Defaults.nodeSelector());
  }
}
