package io.tributary.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * Keyset paging for list endpoints: {@code {"items":[…],"nextCursor":…}}, the cursor an opaque token
 * for "after this id", and limits checked with clear messages.
 */
public final class Paging {
  private Paging() {}

  public record Page<T>(List<T> items, String nextCursor) {}

  public static int limit(String raw, int defaultLimit, int max) {
    if (raw == null || raw.isBlank()) {
      return defaultLimit;
    }
    try {
      int n = Integer.parseInt(raw.strip());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the message below
    }
    throw ApiError.badRequest("'limit' must be a whole number from 1 to " + max + ".");
  }

  public static long afterId(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII);
      if (s.startsWith("after:")) {
        long id = Long.parseLong(s.substring(6));
        if (id >= 0) {
          return id;
        }
      }
    } catch (IllegalArgumentException ignored) {
      // fall through
    }
    throw ApiError.badRequest("'cursor' is not a cursor this API handed out.");
  }

  public static String cursorAfter(long id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + id).getBytes(StandardCharsets.US_ASCII));
  }

  /** Path ids are positive whole numbers; anything else is a 400, not a 404 or 500. */
  public static long id(String raw, String what) {
    OptionalLong id = parseId(raw);
    if (id.isEmpty()) {
      throw ApiError.badRequest("'" + what + "' must be a positive whole number.");
    }
    return id.getAsLong();
  }

  static OptionalLong parseId(String raw) {
    // ASCII digits only: Character.isDigit and Long.parseLong also take '１' (fullwidth) for 1.
    if (raw == null || raw.isEmpty() || raw.length() > 18 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    long v = Long.parseLong(raw);
    return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
  }
}
