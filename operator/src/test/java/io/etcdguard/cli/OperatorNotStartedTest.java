package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The last line an operator that could not start prints: the API server and why, not JOSDK's "Error starting operator". */
class OperatorNotStartedTest {
  static final String API = "https://10.43.0.1:443/";

  @Test
  void aRefusedConnectionIsNamed() {
    ConnectException refused = new ConnectException();
    refused.initCause(new ClosedChannelException());
    OperatorException notStarted = new OperatorException("Error starting operator", new ExecutionException(refused));

    assertThat(OperatorCommand.notStartedMessage(API, notStarted)).isEqualTo("the operator could not start against the"
        + " Kubernetes API at https://10.43.0.1:443/: cannot connect: nothing accepts connections there (refused or unreachable)");
  }

  @Test
  void aMissingResourceTypeAsksWhetherTheCrdsAreInstalled() {
    KubernetesClientException notFound = new KubernetesClientException(new StatusBuilder().withCode(404)
        .withMessage("the server could not find the requested resource").build());
    OperatorException notStarted = new OperatorException("Error starting operator", new ExecutionException(notFound));

    assertThat(OperatorCommand.notStartedMessage(API, notStarted)).isEqualTo("the operator could not start against the"
        + " Kubernetes API at https://10.43.0.1:443/: HTTP 404: the server could not find the requested resource"
        + " (are the NodeAddressPolicy and NodeAddressReport CRDs installed?)");
  }

  @Test
  void aForbiddenListNamesTheRbacProblemWithoutTheCrdHint() {
    KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder().withCode(403)
        .withMessage("nodeaddresspolicies.etcdguard.io is forbidden: User \"system:serviceaccount:guard:guard\" cannot list"
            + " resource \"nodeaddresspolicies\"").build());

    assertThat(OperatorCommand.notStartedMessage(API, new OperatorException("Error starting operator", forbidden)))
        .endsWith(": HTTP 403: nodeaddresspolicies.etcdguard.io is forbidden: User \"system:serviceaccount:guard:guard\""
            + " cannot list resource \"nodeaddresspolicies\"");
  }
}
