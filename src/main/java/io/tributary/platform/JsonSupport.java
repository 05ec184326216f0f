package io.tributary.platform;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider instance. {@code jakarta.json.Json.createReader(...)} and friends look the
 * provider up again on every call (a service-loader scan of the class path: the top cost of a sync
 * in the benchmark's profile), so every hot path uses this cached instance instead.
 */
public final class JsonSupport {
  private JsonSupport() {}

  public static final JsonProvider JSON = JsonProvider.provider();
}
