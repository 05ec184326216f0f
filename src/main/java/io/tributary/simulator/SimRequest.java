package io.tributary.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A received request, parsed once: the provider handlers read parameters, headers and the body from
 * it.
 *
 * @param subPath the path below the provider's API base, e.g. {@code /user/repos}
 */
record SimRequest(
    String method,
    String path,
    String subPath,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    String body) {

  /** The first value of a query parameter, or null. */
  String param(String name) {
    return first(query, name);
  }

  /** The first value of a header (lower-case name), or null. */
  String header(String name) {
    return first(headers, name.toLowerCase(Locale.ROOT));
  }

  /** The token of an {@code Authorization: Bearer} header, or null. */
  String bearer() {
    String authorization = header("authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** The body parsed as {@code application/x-www-form-urlencoded}. */
  Map<String, List<String>> form() {
    return parseQuery(body);
  }

  /** {@code [user, password]} of an {@code Authorization: Basic} header, or null. */
  String[] basicCredentials() {
    String authorization = header("authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0
          ? null
          : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String first(Map<String, List<String>> values, String name) {
    List<String> list = values.get(name);
    return list == null || list.isEmpty() ? null : list.get(0);
  }

  /** Parses {@code a=1&b=2} (null or empty gives an empty map), keeping order and repeats. */
  static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a stray '%' is kept as sent rather than failing the request
    }
  }
}
