package io.etcdguard.host;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.NodeAddressReportSpec;
import io.etcdguard.k8s.ApiFailures;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.net.HttpURLConnection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The three calls the agent makes on its NodeAddressReport (get by name, create, JSON-patch the spec), over
 * fabric8's HTTP client built from a fabric8 {@link Config}: the same kubeconfig/in-cluster discovery, TLS, bearer
 * token (re-read when the service account token rotates) and proxy settings as a KubernetesClient, without the
 * KubernetesClient itself. That one registers a handler for every built-in kind and every API-group extension at
 * construction (several hundred classes the agent never uses): docs/performance.md measured 6 MiB less resident
 * memory without it. The JSON is written and read by {@link ReportJson}, without Jackson databind. Failures throw {@link KubernetesClientException} with the HTTP status code, as the client does.
 */
public final class ReportApi implements AutoCloseable {
  static final String PATH = "/apis/" + NodeAddressPolicy.GROUP + "/" + NodeAddressPolicy.VERSION + "/" + NodeAddressReport.PLURAL;

  private final HttpClient http;
  private final String reportsUrl;
  private final long timeoutMillis;

  private ReportApi(HttpClient http, String masterUrl, long timeoutMillis) {
    this.http = http;
    this.reportsUrl = masterUrl.replaceAll("/+$", "") + PATH;
    this.timeoutMillis = timeoutMillis;
  }

  /** For the API server the configuration names (its master URL, credentials and TLS settings). */
  public static ReportApi of(Config config) {
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new IllegalArgumentException("no API server URL in the Kubernetes configuration (kubeconfig or in-cluster)");
    }
    long timeout = config.getRequestTimeout() > 0 ? config.getRequestTimeout() : 10_000;
    return new ReportApi(HttpClientUtils.createHttpClient(config), config.getMasterUrl(), timeout);
  }

  /** The report of that name, or null when there is none. */
  public NodeAddressReport get(String name) {
    HttpResponse<String> response = send(http.newHttpRequestBuilder().uri(reportsUrl + "/" + name).build(), "get", name);
    if (response.code() == HttpURLConnection.HTTP_NOT_FOUND) {
      return null;
    }
    requireSuccess(response, "get", name);
    return ReportJson.read(response.body());
  }

  public void create(NodeAddressReport report) {
    String name = report.getMetadata().getName();
    HttpResponse<String> response = send(http.newHttpRequestBuilder().uri(reportsUrl)
        .post("application/json", ReportJson.write(report)).build(), "create", name);
    requireSuccess(response, "create", name);
  }

  /** Replaces the whole spec with a JSON patch, so that fields which became absent go too (a merge patch keeps them). */
  public void replaceSpec(String name, NodeAddressReportSpec spec) {
    String patch = ReportJson.replaceSpecPatch(spec);
    HttpResponse<String> response = send(http.newHttpRequestBuilder().uri(reportsUrl + "/" + name)
        .patch("application/json-patch+json", patch).build(), "patch", name);
    requireSuccess(response, "patch", name);
  }

  @Override
  public void close() {
    http.close();
  }

  private HttpResponse<String> send(HttpRequest request, String verb, String name) {
    try {
      return http.sendAsync(request, String.class).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted during " + verb + " of NodeAddressReport " + name, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new KubernetesClientException(verb + " of NodeAddressReport " + name + " at " + reportsUrl + " failed: "
          + ApiFailures.reason(cause), cause);
    } catch (TimeoutException e) {
      throw new KubernetesClientException(verb + " of NodeAddressReport " + name + " at " + reportsUrl + " got no answer within "
          + timeoutMillis + " ms", e);
    }
  }

  private void requireSuccess(HttpResponse<String> response, String verb, String name) {
    if (!response.isSuccessful()) {
      String body = response.body() == null ? "" : response.body();
      throw new KubernetesClientException(verb + " of NodeAddressReport " + name + " at " + reportsUrl + " answered HTTP "
          + response.code() + ": " + (body.length() > 500 ? body.substring(0, 500) + "..." : body), response.code(), null);
    }
  }
}
