package io.tributary.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One user's account at one provider: its tokens and its data (repositories, pages, channels and
 * messages, events). Tests arrange data here and compare {@link #items} with what Tributary stored.
 *
 * <p>Every change stamps the item with the {@link SimClock} time and a per-account change number,
 * which Google sync tokens and pagination snapshots use. Thread-safe: methods lock the account.
 */
public final class Account {
  /** An item with the bookkeeping the handlers need. */
  record Stored(Item item, long seq, long ordinal, Instant createdAt) {}

  private final Provider provider;
  private final String id;
  private final SimClock clock;
  private final TokenRegistry tokens;

  // Tokens with a serial below these are revoked / expired (see TokenRegistry.authenticate).
  volatile long revokedBelow;
  volatile long expiredBelow;

  // key: kind + '\n' + id, or "message\n" + channel + '\n' + ts; guarded by this.
  private final Map<String, Stored> items = new LinkedHashMap<>();
  private final Set<String> notMember = new HashSet<>();
  private long seq;
  private long ordinals;
  private Instant lastHistoryCall;

  Account(Provider provider, String id, SimClock clock, TokenRegistry tokens) {
    this.provider = provider;
    this.id = id;
    this.clock = clock;
    this.tokens = tokens;
  }

  /** The provider id: "github", "notion", "slack" or "google_calendar". */
  public String provider() {
    return provider.id;
  }

  /** The account id (the simulator-only {@code login} of the authorize endpoint). */
  public String id() {
    return id;
  }

  /**
   * Issues a new valid access token (and refresh token) for this account. Earlier tokens stay valid
   * unless a refresh rotates them.
   *
   * @param accessTtl the access token's lifetime by the {@link SimClock}, or null for never
   */
  public Tokens issueTokens(Duration accessTtl, boolean withRefreshToken) {
    if (accessTtl != null && (accessTtl.isNegative() || accessTtl.isZero())) {
      throw new IllegalArgumentException("accessTtl must be positive or null");
    }
    return tokens.issue(this, accessTtl, withRefreshToken, accessTtl != null);
  }

  /** Kills every token of the account: API calls answer 401, refreshes the invalid_grant shape. */
  public void revokeGrant() {
    revokedBelow = tokens.nextSerial();
  }

  /** Current access tokens answer like expired tokens; refresh tokens keep working. */
  public void expireAccessTokens() {
    expiredBelow = tokens.nextSerial();
  }

  /** Creates or replaces an item; updatedAt = now. (Slack messages: {@link #putMessage}.) */
  public synchronized Item put(String kind, String id, String title) {
    provider.requireKind(kind);
    if (kind.equals("message")) {
      throw new IllegalArgumentException("a Slack message needs a channel: use putMessage");
    }
    return store(kind, requireId(id), Objects.requireNonNull(title, "title"), null, clock.now());
  }

  /** Puts a Slack message ({@code ts} like {@code 1700000000.000100}) in an existing channel. */
  public synchronized Item putMessage(String channelId, String ts, String text) {
    provider.requireKind("message");
    requireChannel(channelId);
    if (ts == null || !ts.matches("\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException("ts must look like 1700000000.000100, was " + ts);
    }
    return store("message", ts, Objects.requireNonNull(text, "text"), channelId, clock.now());
  }

  /** Whether the bot is a member of a Slack channel (it is unless set otherwise). */
  public synchronized void setMember(String channelId, boolean isMember) {
    requireChannel(channelId);
    if (isMember) {
      notMember.remove(channelId);
    } else {
      notMember.add(channelId);
    }
  }

  /**
   * Changes an item's title (null keeps it); updatedAt = now. A Slack message is named by its ts,
   * or by {@code channelId:ts} when two channels hold the same ts.
   */
  public synchronized Item touch(String kind, String id, String newTitle) {
    provider.requireKind(kind);
    String key = existingKey(kind, id);
    Stored old = items.get(key);
    if (old == null || old.item().cancelled()) {
      throw new IllegalArgumentException("no " + kind + " '" + id + "' in " + this);
    }
    String title = newTitle != null ? newTitle : old.item().title();
    return store(kind, old.item().id(), title, old.item().containerId(), clock.now());
  }

  /**
   * Deletes an item. A Google event becomes "cancelled" (Google keeps returning it to incremental
   * syncs, PROVIDERS.md); anything else is removed, a Slack channel with its messages. Deleting a
   * missing item does nothing.
   */
  public synchronized void delete(String kind, String id) {
    provider.requireKind(kind);
    String key = existingKey(kind, id);
    Stored old = items.get(key);
    if (old == null) {
      return;
    }
    if (provider == Provider.GOOGLE_CALENDAR) {
      Item item = old.item();
      Item cancelled =
          new Item(item.kind(), item.id(), item.title(), item.url(), clock.now(), null, true);
      items.put(key, new Stored(cancelled, ++seq, old.ordinal(), old.createdAt()));
      return;
    }
    items.remove(key);
    if (kind.equals("channel")) {
      items.values().removeIf(s -> id.equals(s.item().containerId()));
      notMember.remove(id);
    }
  }

  /**
   * Puts {@code perKind} items of every kind with deterministic ids and titles, updated one second
   * apart up to now (the last one is the newest). Slack: perKind channels with perKind messages
   * each (perKind squared messages in all). Seeding again puts the same ids again.
   */
  public synchronized void seed(int perKind) {
    if (perKind < 0 || perKind > 99_999) {
      throw new IllegalArgumentException("perKind must be 0..99999, was " + perKind);
    }
    Instant now = clock.now();
    for (int i = 1; i <= perKind; i++) {
      Instant at = now.minusSeconds(perKind - i);
      switch (provider) {
        case GITHUB -> {
          store("repository", String.valueOf(1_000_000 + i), "repo-" + i, null, at);
          store("issue", String.valueOf(2_000_000 + i), "Issue " + i, null, at);
          store("pull_request", String.valueOf(3_000_000 + i), "Pull request " + i, null, at);
        }
        case NOTION -> {
          store("page", uuid("page", i), "Page " + i, null, at);
          store("database", uuid("database", i), "Database " + i, null, at);
        }
        case SLACK -> {
          String channel = String.format(Locale.ROOT, "C%08d", i);
          store("channel", channel, "channel-" + i, null, at);
          for (int j = 1; j <= perKind; j++) {
            // Unique per account: the seconds order the messages, the micros name the channel.
            long second = now.getEpochSecond() - (perKind - j);
            String ts = second + String.format(Locale.ROOT, ".%06d", i);
            Instant sent = Instant.ofEpochSecond(second);
            store("message", ts, "Message " + j + " in channel-" + i, channel, sent);
          }
        }
        case GOOGLE_CALENDAR ->
            store("event", String.format(Locale.ROOT, "event%06d", i), "Event " + i, null, at);
      }
    }
  }

  /** The current items of a kind (not removed, not cancelled), in the order first put. */
  public synchronized List<Item> items(String kind) {
    provider.requireKind(kind);
    List<Item> result = new ArrayList<>();
    for (Stored stored : items.values()) {
      if (stored.item().kind().equals(kind) && !stored.item().cancelled()) {
        result.add(stored.item());
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return provider.id + " account '" + id + "'";
  }

  // ---- for the handlers ----

  /** A copy of the stored items matching {@code filter}, cancelled ones included. */
  synchronized List<Stored> snapshot(Predicate<Item> filter) {
    List<Stored> result = new ArrayList<>();
    for (Stored stored : items.values()) {
      if (filter.test(stored.item())) {
        result.add(stored);
      }
    }
    return result;
  }

  /** The number of the latest change. */
  synchronized long seq() {
    return seq;
  }

  synchronized boolean hasChannel(String channelId) {
    return items.containsKey("channel\n" + channelId);
  }

  synchronized boolean isMember(String channelId) {
    return !notMember.contains(channelId);
  }

  /**
   * Slack's history limit for non-Marketplace apps: seconds until the next call is allowed, or 0
   * when this call is allowed (and counted).
   */
  synchronized long claimHistoryCall(Instant now) {
    if (lastHistoryCall != null && now.isBefore(lastHistoryCall.plusSeconds(60))) {
      return Math.max(1, Duration.between(now, lastHistoryCall.plusSeconds(60)).toSeconds());
    }
    lastHistoryCall = now;
    return 0;
  }

  Provider providerType() {
    return provider;
  }

  // ---- internals ----

  private Item store(String kind, String itemId, String title, String containerId, Instant at) {
    String key = key(kind, itemId, containerId);
    Stored old = items.get(key);
    long ordinal = old != null ? old.ordinal() : ++ordinals;
    Instant createdAt = old != null ? old.createdAt() : at;
    Item item =
        new Item(
            kind,
            itemId,
            title,
            url(kind, itemId, title, ordinal, containerId),
            at,
            containerId,
            false);
    items.put(key, new Stored(item, ++seq, ordinal, createdAt));
    return item;
  }

  private static String key(String kind, String itemId, String containerId) {
    return containerId == null ? kind + "\n" + itemId : kind + "\n" + containerId + "\n" + itemId;
  }

  /** The key of an existing item; messages are found by ts or channel:ts. */
  private String existingKey(String kind, String itemId) {
    requireId(itemId);
    if (!kind.equals("message")) {
      return key(kind, itemId, null);
    }
    int colon = itemId.indexOf(':');
    if (colon > 0) {
      return key(kind, itemId.substring(colon + 1), itemId.substring(0, colon));
    }
    String found = null;
    for (Map.Entry<String, Stored> entry : items.entrySet()) {
      Item item = entry.getValue().item();
      if (item.kind().equals("message") && item.id().equals(itemId)) {
        if (found != null) {
          throw new IllegalArgumentException(
              "ts " + itemId + " is in several channels: name it as channelId:ts");
        }
        found = entry.getKey();
      }
    }
    return found != null ? found : key(kind, itemId, "?");
  }

  private void requireChannel(String channelId) {
    if (provider != Provider.SLACK) {
      throw new IllegalArgumentException("channels belong to slack, not " + provider.id);
    }
    if (channelId == null || !items.containsKey("channel\n" + channelId)) {
      throw new IllegalArgumentException(
          "no channel '" + channelId + "': put(\"channel\", ...) first");
    }
  }

  private static String requireId(String itemId) {
    if (itemId == null || itemId.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    return itemId;
  }

  private String uuid(String kind, int i) {
    return UUID.nameUUIDFromBytes((kind + ":" + id + ":" + i).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private String url(String kind, String itemId, String title, long ordinal, String containerId) {
    String owner = URLEncoder.encode(id, StandardCharsets.UTF_8);
    return switch (kind) {
      case "repository" -> "https://github.com/" + owner + "/" + slug(title);
      case "issue" -> "https://github.com/" + owner + "/tributary-sim/issues/" + ordinal;
      case "pull_request" -> "https://github.com/" + owner + "/tributary-sim/pull/" + ordinal;
      case "page", "database" ->
          "https://www.notion.so/" + slug(title) + "-" + itemId.replace("-", "");
      case "channel" -> "https://slack.com/app_redirect?channel=" + itemId;
      case "message" ->
          "https://slack.com/archives/" + containerId + "/p" + itemId.replace(".", "");
      case "event" ->
          "https://www.google.com/calendar/event?eid="
              + Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString((itemId + " " + id).getBytes(StandardCharsets.UTF_8));
      default -> throw new IllegalStateException(kind);
    };
  }

  private static String slug(String title) {
    String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    slug = slug.replaceAll("^-+|-+$", "");
    return slug.isEmpty() ? "untitled" : slug;
  }
}
