package io.tributary.providers;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Small pieces every OAuth exchange needs: form bodies, Basic client auth, reading token JSON. */
public final class OAuthForms {
  private OAuthForms() {}

  public static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  public static Map<String, String> fields(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  public static String basic(String clientId, String clientSecret) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
  }

  public static URI withQuery(URI base, Map<String, String> query) {
    String sep = base.getRawQuery() == null ? "?" : "&";
    return URI.create(base + sep + form(query));
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  public static String string(JsonObject o, String key) {
    JsonValue v = o == null ? null : o.get(key); // one lookup: the clients call this per field of every item
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    return switch (v.getValueType()) {
      case STRING -> ((JsonString) v).getString();
      case NUMBER -> ((JsonNumber) v).toString();
      case TRUE -> "true";
      case FALSE -> "false";
      default -> v.toString();
    };
  }

  /**
   * Reads the common token-response fields; {@code expires_in} absent means no expiry.
   *
   * @throws ProviderException TRANSIENT when there is no access token in the answer
   */
  public static TokenGrant grant(JsonObject o, Clock clock, String account) {
    String access = string(o, "access_token");
    if (access == null || access.isBlank()) {
      throw ProviderException.transientFailure("token endpoint answered without an access token");
    }
    Instant expiresAt = null;
    String expiresIn = string(o, "expires_in");
    if (expiresIn != null) {
      try {
        expiresAt = clock.instant().plusSeconds(Long.parseLong(expiresIn));
      } catch (NumberFormatException ignored) {
        // An unreadable lifetime: treat as non-expiring; a 401 still triggers a refresh.
      }
    }
    return new TokenGrant(access, string(o, "refresh_token"), expiresAt, string(o, "scope"), account);
  }
}
