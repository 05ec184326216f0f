package io.tributary.dashboard;

import io.tributary.platform.web.Text;
import io.tributary.providers.Provider;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the integrations page was asked for: its filters (provider, health state, user) and its
 * place in the keyset paging (after or before a connection id), parsed leniently from GET
 * parameters: an unknown value is ignored (and the form shows what was applied), never an error.
 *
 * @param provider only this provider's connections, or null for all
 * @param state only connections in this health state, or null for all
 * @param userId only this user's connections (the platform's user id, exact), or null for all
 * @param after the page starts after this connection id (0: the first page); ignored when {@code
 *     before} is set
 * @param before the page ends before this connection id, or null
 * @param size rows per page
 */
public record ConnectionFilter(
    Provider provider, HealthState state, String userId, long after, Long before, int size) {

  public static final int DEFAULT_SIZE = 50;
  static final int[] SIZES = {25, 50, 100};
  static final int MAX_USER_ID_LENGTH = 200;

  public static ConnectionFilter parse(Map<String, String> params) {
    Provider provider = Provider.fromId(params.get("provider")).orElse(null);
    HealthState state = HealthState.fromId(trim(params.get("status"))).orElse(null);
    String user = trim(params.get("user"));
    // A NUL would reach PostgreSQL (which refuses it) and no user id contains control characters.
    if (user != null && (user.isEmpty() || user.length() > MAX_USER_ID_LENGTH || !Text.isClean(user))) {
      user = null;
    }
    OptionalLong before = id(params.get("before"));
    long after = before.isPresent() ? 0 : id(params.get("after")).orElse(0);
    int size = DEFAULT_SIZE;
    String rawSize = trim(params.get("size"));
    for (int s : SIZES) {
      if (Integer.toString(s).equals(rawSize)) {
        size = s;
      }
    }
    return new ConnectionFilter(
        provider, state, user, after, before.isPresent() ? before.getAsLong() : null, size);
  }

  /** Whether the page runs backwards from {@link #before}. */
  public boolean backwards() {
    return before != null;
  }

  /** Whether any filter (not paging) is set. */
  public boolean filtered() {
    return provider != null || state != null || userId != null;
  }

  /** The same filters at another place in the paging. */
  public ConnectionFilter after(long id) {
    return new ConnectionFilter(provider, state, userId, id, null, size);
  }

  public ConnectionFilter before(long id) {
    return new ConnectionFilter(provider, state, userId, 0, id, size);
  }

  /** The filter's GET query string (without paging unless set), for links that keep it. */
  public String query() {
    StringBuilder q = new StringBuilder();
    Optional.ofNullable(provider).ifPresent(p -> add(q, "provider", p.id()));
    Optional.ofNullable(state).ifPresent(s -> add(q, "status", s.id()));
    Optional.ofNullable(userId).ifPresent(u -> add(q, "user", u));
    if (size != DEFAULT_SIZE) {
      add(q, "size", Integer.toString(size));
    }
    if (before != null) {
      add(q, "before", Long.toString(before));
    } else if (after > 0) {
      add(q, "after", Long.toString(after));
    }
    return q.toString();
  }

  private static void add(StringBuilder q, String name, String value) {
    q.append(q.length() == 0 ? "" : "&")
        .append(name)
        .append('=')
        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String trim(String s) {
    return s == null ? null : s.strip();
  }

  static OptionalLong id(String raw) {
    String s = trim(raw);
    if (s == null || s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    long v = Long.parseLong(s);
    return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
  }
}
