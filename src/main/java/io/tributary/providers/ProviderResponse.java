package io.tributary.providers;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A provider's HTTP answer, read whole (pages are bounded by the page size we ask for). */
public record ProviderResponse(int status, Map<String, List<String>> headers, String body) {

  public ProviderResponse {
    // Header names are case-insensitive; keep them lower case once.
    Map<String, List<String>> lower = new java.util.TreeMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    headers = lower;
    body = body == null ? "" : body;
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public Optional<Long> longHeader(String name) {
    return header(name)
        .flatMap(
            v -> {
              try {
                return Optional.of(Long.parseLong(v.strip()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  /**
   * The body as a JSON object.
   *
   * @throws ProviderException TRANSIENT when the body is not a JSON object (a truncated or garbled
   *     answer is retried, never half-stored)
   */
  public JsonObject json() {
    try {
      return ProviderJson.object(body); // list items keep the provider's own text as their raw JSON
    } catch (JsonException e) {
      throw ProviderException.transientFailure("malformed JSON from provider (HTTP " + status + ")");
    }
  }

  /** The body as JSON when it is JSON, for reading error shapes. */
  public Optional<JsonObject> jsonIfAny() {
    try {
      return Optional.of(json());
    } catch (ProviderException e) {
      return Optional.empty();
    }
  }
}
