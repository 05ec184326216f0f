package io.tributary.providers;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request to a provider, built without the access token (the token is added per attempt, so
 * a retry after a refresh uses the new one).
 */
public record ProviderRequest(
    String method, URI uri, Map<String, String> headers, String body, String contentType) {

  public static ProviderRequest get(URI uri) {
    return new ProviderRequest("GET", uri, new LinkedHashMap<>(), null, null);
  }

  public static ProviderRequest postJson(URI uri, String json) {
    return new ProviderRequest("POST", uri, new LinkedHashMap<>(), json, "application/json");
  }

  public static ProviderRequest postForm(URI uri, String form) {
    return new ProviderRequest("POST", uri, new LinkedHashMap<>(), form, "application/x-www-form-urlencoded");
  }

  public ProviderRequest header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
