package io.etcdguard.policy;

import io.etcdguard.api.v1alpha1.Durations;
import io.etcdguard.api.v1alpha1.EtcdConnection;
import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.api.v1alpha1.NodeAddressPolicySpec;
import io.etcdguard.classify.Cidr;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.etcd.EtcdClientConfig;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The "validate" step: checks a spec the way the CRD schema does (the operator may meet objects
 * written before a schema change, and the CLI reads files no API server has seen) and names the
 * field of every problem.
 */
public final class PolicyValidator {
  private static final Set<String> SELECTOR_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  /** Where the etcd settings come from: the CLI may take endpoints from flags instead of the policy. */
  public enum EtcdSettings {
    REQUIRED,
    OPTIONAL,
    /** Members come from a file: spec.etcd is not used, so it is not validated (a policy with https endpoints and no TLS works offline). */
    UNUSED
  }

  /** What to do when the spec has no nodeSelector: the operator applies the default, file-mode audit takes all Nodes. */
  public enum MissingSelector {
    DEFAULT,
    ALL_NODES
  }

  private PolicyValidator() {}

  public static ValidatedPolicy validate(NodeAddressPolicySpec spec, EtcdSettings etcdSettings, MissingSelector missingSelector)
      throws PolicyInvalidException {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      throw new PolicyInvalidException(List.of("spec: required"));
    }
    if (spec.readProblem() != null) {
      // stored by the API server but not readable into this version's types (an unknown enum value, a wrong type)
      throw new PolicyInvalidException(List.of(spec.readProblem()));
    }

    List<Cidr> cidrs = new ArrayList<>();
    List<String> cidrTexts = spec.getAllowedCIDRs() == null ? List.of() : spec.getAllowedCIDRs();
    for (int i = 0; i < cidrTexts.size(); i++) {
      try {
        cidrs.add(Cidr.parse(cidrTexts.get(i)));
      } catch (IllegalArgumentException e) {
        problems.add("spec.allowedCIDRs[" + i + "]: " + e.getMessage());
      }
    }

    Duration interval = duration(problems, "spec.checkInterval", spec.getCheckInterval(), NodeAddressPolicySpec.DEFAULT_CHECK_INTERVAL);
    if (interval != null && interval.compareTo(Defaults.MIN_CHECK_INTERVAL) < 0) {
      problems.add("spec.checkInterval: '" + spec.getCheckInterval() + "' is below the minimum of 5s");
    }

    LabelSelector selector = spec.getNodeSelector();
    if (selector != null && selector.getMatchExpressions() != null) {
      for (int i = 0; i < selector.getMatchExpressions().size(); i++) {
        String op = selector.getMatchExpressions().get(i).getOperator();
        if (!SELECTOR_OPERATORS.contains(op)) {
          problems.add("spec.nodeSelector.matchExpressions[" + i + "].operator: '" + op + "' is not one of In, NotIn, Exists, DoesNotExist");
        }
      }
    }
    if (selector == null && missingSelector == MissingSelector.DEFAULT) {
      selector = Defaults.nodeSelector();
    }

    List<URI> endpoints = new ArrayList<>();
    Duration dial = null;
    EtcdTls tls = null;
    EtcdConnection etcd = etcdSettings == EtcdSettings.UNUSED ? null : spec.getEtcd();
    if (etcd == null) {
      if (etcdSettings == EtcdSettings.REQUIRED) {
        problems.add("spec.etcd: required");
      }
    } else {
      List<String> texts = etcd.getEndpoints() == null ? List.of() : etcd.getEndpoints();
      if (texts.isEmpty() && etcdSettings == EtcdSettings.REQUIRED) {
        problems.add("spec.etcd.endpoints: at least one endpoint is required");
      }
      for (int i = 0; i < texts.size(); i++) {
        String field = "spec.etcd.endpoints[" + i + "]";
        String text = texts.get(i);
        if (text == null || !text.matches(EtcdConnection.ENDPOINT_PATTERN)) {
          problems.add(field + ": '" + text + "' is not a URL such as https://10.0.0.1:2379");
          continue;
        }
        try {
          endpoints.add(EtcdClientConfig.parseEndpoint(text));
        } catch (IllegalArgumentException e) {
          problems.add(field + ": " + e.getMessage());
        }
      }
      dial = duration(problems, "spec.etcd.dialTimeout", etcd.getDialTimeout(), EtcdConnection.DEFAULT_DIAL_TIMEOUT);
      if (dial != null && dial.compareTo(Defaults.MAX_DIAL_TIMEOUT) > 0) {
        problems.add("spec.etcd.dialTimeout: '" + etcd.getDialTimeout() + "' is above the maximum of 60s");
      }
      tls = etcd.getTls();
      if (tls != null) {
        validateTls(tls, problems);
      }
      boolean anyHttps = endpoints.stream().anyMatch(u -> "https".equals(u.getScheme()));
      boolean anyHttp = endpoints.stream().anyMatch(u -> "http".equals(u.getScheme()));
      if (anyHttps && anyHttp) {
        problems.add("spec.etcd.endpoints: mixes http:// and https:// endpoints; use one scheme");
      }
      if (anyHttps && tls == null) {
        problems.add("spec.etcd.tls: required for https:// endpoints (a secretRef, or caFile/certFile/keyFile)");
      }
      if (anyHttp && !anyHttps && tls != null) {
        problems.add("spec.etcd.tls: set, but the endpoints are plain http://; use https:// endpoints");
      }
    }

    if (!problems.isEmpty()) {
      throw new PolicyInvalidException(problems);
    }
    return new ValidatedPolicy(new PolicyRules(spec.getAddressFamily(), cidrs, spec.getPosture()), selector, interval, List.copyOf(endpoints), dial, tls);
  }

  private static void validateTls(EtcdTls tls, List<String> problems) {
    boolean files = tls.getCaFile() != null || tls.getCertFile() != null || tls.getKeyFile() != null;
    if (tls.getSecretRef() != null && files) {
      problems.add("spec.etcd.tls: set either secretRef or caFile/certFile/keyFile, not both");
    }
    if (tls.getSecretRef() == null && tls.getCaFile() == null) {
      problems.add("spec.etcd.tls: set secretRef, or caFile (with certFile and keyFile for client authentication)");
    }
    if ((tls.getCertFile() == null) != (tls.getKeyFile() == null)) {
      problems.add("spec.etcd.tls: certFile and keyFile go together");
    }
    if (tls.getSecretRef() != null) {
      if (isBlank(tls.getSecretRef().getName())) {
        problems.add("spec.etcd.tls.secretRef.name: required");
      }
      if (isBlank(tls.getSecretRef().getNamespace())) {
        problems.add("spec.etcd.tls.secretRef.namespace: required");
      }
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static Duration duration(List<String> problems, String field, String text, String fallback) {
    try {
      return Durations.parse(field, text == null ? fallback : text);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
  }
}
