package io.tributary.simulator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request the simulator received, for tests to assert on what Tributary sent.
 *
 * @param provider "github", "notion", "slack", "google_calendar", or "unknown"
 * @param method the HTTP method
 * @param path the full request path as received, e.g. {@code /github/user/repos}
 * @param query decoded query parameters, in order
 * @param headers request headers with lower-case names
 * @param body the request body as UTF-8 text ("" when empty)
 * @param at when it arrived, by the simulator's {@link SimClock}
 */
public record RecordedRequest(
    String provider,
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    String body,
    Instant at) {

  public RecordedRequest {
    query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The first value of a query parameter, or null. */
  public String queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The first value of a header (any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
