package io.tributary.simulator;

import io.tributary.simulator.Account.Stored;
import io.tributary.simulator.TokenRegistry.AuthStatus;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google Calendar's events list as Tributary uses it: a full sync paged with {@code nextPageToken},
 * {@code nextSyncToken} only on the last page, incremental syncs with {@code syncToken} that
 * include cancelled events, and 410 fullSyncRequired for an expired sync token (PROVIDERS.md,
 * Google Calendar).
 *
 * <p>A listing is a snapshot: its page tokens carry the account's change number at the first page,
 * so items changed while a client pages are left to the next incremental sync instead of being
 * skipped or repeated.
 */
final class GoogleCalendarApi extends ProviderApi {
  private static final String EVENTS_PATH = "/calendars/primary/events";
  // Google rejects these next to a syncToken (PROVIDERS.md).
  private static final Set<String> NOT_WITH_SYNC_TOKEN =
      Set.of(
          "timeMin",
          "timeMax",
          "updatedMin",
          "orderBy",
          "q",
          "iCalUID",
          "privateExtendedProperty",
          "sharedExtendedProperty");

  private final AtomicInteger rateLimits = new AtomicInteger();

  GoogleCalendarApi(ProviderSimulator sim) {
    super(sim, Provider.GOOGLE_CALENDAR);
  }

  @Override
  SimResponse unauthorized(AuthStatus status) {
    if (status == AuthStatus.MISSING) {
      return error(
          401,
          "Request is missing required authentication credential. Expected OAuth 2 access token.",
          "global",
          "required",
          "UNAUTHENTICATED");
    }
    return error(401, "Invalid Credentials", "global", "authError", "UNAUTHENTICATED");
  }

  @Override
  SimResponse error(int status) {
    return switch (status) {
      case 400 -> error(status, "Bad Request", "global", "badRequest", "INVALID_ARGUMENT");
      case 401 -> unauthorized(AuthStatus.UNKNOWN);
      case 403 -> error(status, "Forbidden", "global", "forbidden", "PERMISSION_DENIED");
      case 404 -> error(status, "Not Found", "global", "notFound", "NOT_FOUND");
      case 409 ->
          error(
              status,
              "The requested identifier already exists.",
              "global",
              "duplicate",
              "ALREADY_EXISTS");
      case 410 -> fullSyncRequired();
      case 429 -> rateLimited(0, false);
      default ->
          status >= 500
              ? error(status, "Backend Error", "global", "backendError", "UNAVAILABLE")
              : error(status, reasonPhrase(status), "global", "badRequest", "INVALID_ARGUMENT");
    };
  }

  @Override
  SimResponse rateLimited(int retryAfterSeconds, boolean secondary) {
    // Google answers quota overruns with 403 or 429 and promises no Retry-After (PROVIDERS.md);
    // the three shapes take turns so clients meet each of them.
    return switch (rateLimits.getAndIncrement() % 3) {
      case 0 ->
          error(
              403, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded", "PERMISSION_DENIED");
      case 1 ->
          error(
              429, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded", "RESOURCE_EXHAUSTED");
      default ->
          error(
              403,
              "User Rate Limit Exceeded",
              "usageLimits",
              "userRateLimitExceeded",
              "PERMISSION_DENIED");
    };
  }

  private static SimResponse fullSyncRequired() {
    return error(
        410,
        "Sync token is no longer valid, a full sync is required.",
        "calendar",
        "fullSyncRequired",
        null);
  }

  private static SimResponse error(
      int status, String message, String domain, String reason, String grpcStatus) {
    JsonObjectBuilder error =
        JsonBodies.object()
            .add("code", status)
            .add("message", message)
            .add(
                "errors",
                JsonBodies.array()
                    .add(
                        JsonBodies.object()
                            .add("domain", domain)
                            .add("reason", reason)
                            .add("message", message)));
    if (grpcStatus != null) {
      error.add("status", grpcStatus);
    }
    return SimResponse.json(status, JsonBodies.object().add("error", error).build());
  }

  @Override
  SimResponse serve(SimRequest request, Account account, Faults faults) {
    SimResponse rejection = validate(request, faults);
    if (rejection != null) {
      return rejection;
    }
    int maxResults = maxResults(request);
    boolean full;
    long lower;
    long snapshot;
    String pageToken = request.param("pageToken");
    String syncToken = request.param("syncToken");
    if (pageToken != null && !pageToken.isEmpty()) {
      long[] page = decodePageToken(pageToken);
      if (page == null) {
        return error(400, "Invalid page token value.", "global", "invalid", "INVALID_ARGUMENT");
      }
      lower = page[0];
      snapshot = page[1];
      full = page[2] == 1;
    } else if (syncToken != null && !syncToken.isEmpty()) {
      long since = decodeSyncToken(account, syncToken);
      if (since < 0) {
        return fullSyncRequired(); // unknown or foreign sync token
      }
      lower = since;
      snapshot = account.seq();
      full = false;
    } else {
      lower = 0;
      snapshot = account.seq();
      full = true;
    }
    // A full sync shows cancelled events only with showDeleted=true; an incremental one always
    // includes them, as Google does.
    boolean withCancelled = !full || "true".equals(request.param("showDeleted"));
    long from = lower;
    List<Stored> events =
        account.snapshot(
            item -> item.kind().equals("event") && (withCancelled || !item.cancelled()));
    events.removeIf(s -> s.seq() <= from || s.seq() > snapshot);
    events.sort(Comparator.comparingLong(Stored::seq));
    boolean firstPage = pageToken == null || pageToken.isEmpty();
    int to = Math.min(events.size(), maxResults);
    if (faults.shortPages()) {
      // Google's pages may be short or empty while more follow (PROVIDERS.md): the first page
      // comes empty and the rest half full, so only nextPageToken says when the listing ends.
      to = firstPage ? 0 : Math.min(events.size(), Math.max(1, maxResults / 2));
    }
    JsonArrayBuilder items = JsonBodies.array();
    for (Stored stored : events.subList(0, to)) {
      Item item = stored.item();
      items.add(
          event(
              item.id(),
              item.title(),
              item.url(),
              item.cancelled(),
              stored.createdAt(),
              item.updatedAt(),
              stored.seq(),
              account.id()));
    }
    String nextPage = null;
    String nextSync = null;
    if (to < events.size()) {
      nextPage = encodePageToken(to == 0 ? from : events.get(to - 1).seq(), snapshot, full);
    } else {
      nextSync = encodeSyncToken(account.id(), snapshot);
    }
    return listResponse(account.id(), items, nextPage, nextSync);
  }

  @Override
  SimResponse serveGenerated(SimRequest request, String accountId, GeneratedData shape) {
    SimResponse rejection = validate(request, sim.faults(provider.id));
    if (rejection != null) {
      return rejection;
    }
    String pageToken = request.param("pageToken");
    String syncToken = request.param("syncToken");
    Instant now = sim.clock().now();
    String idPrefix = "gen" + GeneratedFeed.tag(accountId) + "i";
    JsonArrayBuilder items = JsonBodies.array();
    if ((pageToken == null || pageToken.isEmpty()) && syncToken != null && !syncToken.isEmpty()) {
      String decoded = GeneratedFeed.decodeCursor(syncToken);
      long generation;
      try {
        generation =
            decoded != null && decoded.startsWith("gs:")
                ? Long.parseLong(decoded.substring(3))
                : -1;
      } catch (NumberFormatException e) {
        generation = -1;
      }
      String key = String.valueOf(generation);
      if (generation < 0 || GeneratedFeed.forcedFullSync(shape, accountId, key)) {
        return fullSyncRequired(); // how Google makes a client start over
      }
      int count = GeneratedFeed.changedCount(shape, accountId, key);
      for (int p = 0; p < count; p++) {
        int index = GeneratedFeed.itemIndex(shape, accountId, key, p);
        boolean cancelled =
            Math.floorMod(GeneratedFeed.hash(accountId, key, String.valueOf(index)), 5L) == 0;
        String id = idPrefix + index;
        items.add(
            event(
                id,
                "Event " + index,
                eventUrl(id),
                cancelled,
                GeneratedFeed.EPOCH,
                now,
                generation,
                accountId));
      }
      return listResponse(
          accountId, items, null, GeneratedFeed.encodeCursor("gs:" + (generation + 1)));
    }
    long generation = now.toEpochMilli();
    int page = 0;
    if (pageToken != null && !pageToken.isEmpty()) {
      String decoded = GeneratedFeed.decodeCursor(pageToken);
      String[] parts = decoded == null ? new String[0] : decoded.split(":");
      if (parts.length != 3 || !parts[0].equals("gp")) {
        return error(400, "Invalid page token value.", "global", "invalid", "INVALID_ARGUMENT");
      }
      try {
        generation = Long.parseLong(parts[1]);
        page = Integer.parseInt(parts[2]);
      } catch (NumberFormatException e) {
        return error(400, "Invalid page token value.", "global", "invalid", "INVALID_ARGUMENT");
      }
    }
    int from = Math.min(shape.totalItems(), page * shape.pageSize());
    int to = Math.min(shape.totalItems(), from + shape.pageSize());
    for (int p = from; p < to; p++) {
      String id = idPrefix + p;
      Instant updated = GeneratedFeed.EPOCH.minus(Duration.ofMinutes(p));
      items.add(event(id, "Event " + p, eventUrl(id), false, updated, updated, 1, accountId));
    }
    boolean last = page + 1 >= shape.fullSyncPages();
    return listResponse(
        accountId,
        items,
        last ? null : GeneratedFeed.encodeCursor("gp:" + generation + ":" + (page + 1)),
        last ? GeneratedFeed.encodeCursor("gs:" + generation) : null);
  }

  /** Path and parameter checks shared by both modes; null when the request may proceed. */
  private SimResponse validate(SimRequest request, Faults faults) {
    if (!request.method().equals("GET")) {
      return error(405, "Method Not Allowed", "global", "httpMethodNotAllowed", "INVALID_ARGUMENT");
    }
    if (!request.subPath().equals(EVENTS_PATH)) {
      return error(404);
    }
    String syncToken = request.param("syncToken");
    if (syncToken != null && !syncToken.isEmpty()) {
      for (String forbidden : NOT_WITH_SYNC_TOKEN) {
        if (request.query().containsKey(forbidden)) {
          return error(
              400,
              "Invalid request: " + forbidden + " cannot be used together with syncToken.",
              "global",
              "invalid",
              "INVALID_ARGUMENT");
        }
      }
      if (faults.syncTokenExpired()) {
        return fullSyncRequired();
      }
    }
    if (maxResults(request) < 0) {
      return error(400, "Invalid value for maxResults.", "global", "invalid", "INVALID_ARGUMENT");
    }
    return null;
  }

  /** maxResults (default 250, at most 2500), or -1 when invalid. */
  private static int maxResults(SimRequest request) {
    int maxResults = intParam(request.param("maxResults"), 250);
    return maxResults <= 0 ? -1 : Math.min(maxResults, 2500);
  }

  private static SimResponse listResponse(
      String accountId, JsonArrayBuilder items, String nextPageToken, String nextSyncToken) {
    JsonObjectBuilder body =
        JsonBodies.object()
            .add("kind", "calendar#events")
            .add("etag", "\"p33c" + GeneratedFeed.tag(accountId) + "\"")
            .add("summary", accountId + "@example.com")
            .add("description", "")
            .add("updated", JsonBodies.millis(GeneratedFeed.EPOCH))
            .add("timeZone", "UTC")
            .add("accessRole", "owner")
            .add("defaultReminders", JsonBodies.array());
    // nextSyncToken comes only on the last page (PROVIDERS.md).
    if (nextPageToken != null) {
      body.add("nextPageToken", nextPageToken);
    }
    if (nextSyncToken != null) {
      body.add("nextSyncToken", nextSyncToken);
    }
    return SimResponse.json(200, body.add("items", items).build());
  }

  private static JsonObjectBuilder event(
      String id,
      String summary,
      String url,
      boolean cancelled,
      Instant created,
      Instant updated,
      long seq,
      String accountId) {
    JsonObjectBuilder event =
        JsonBodies.object()
            .add("kind", "calendar#event")
            .add("etag", "\"" + seq + "\"")
            .add("id", id);
    if (cancelled) {
      // Google guarantees only the id of a deleted event; no summary or times.
      return event.add("status", "cancelled");
    }
    Instant start = created.plus(Duration.ofDays(1));
    JsonObjectBuilder email =
        JsonBodies.object().add("email", accountId + "@example.com").add("self", true);
    return event
        .add("status", "confirmed")
        .add("htmlLink", url)
        .add("created", JsonBodies.millis(created))
        .add("updated", JsonBodies.millis(updated))
        .add("summary", summary)
        .add("creator", email)
        .add(
            "organizer",
            JsonBodies.object().add("email", accountId + "@example.com").add("self", true))
        .add(
            "start",
            JsonBodies.object().add("dateTime", JsonBodies.seconds(start)).add("timeZone", "UTC"))
        .add(
            "end",
            JsonBodies.object()
                .add("dateTime", JsonBodies.seconds(start.plus(Duration.ofHours(1))))
                .add("timeZone", "UTC"))
        .add("iCalUID", id + "@google.com")
        .add("sequence", 0)
        .add("eventType", "default");
  }

  private static String eventUrl(String id) {
    return "https://www.google.com/calendar/event?eid=" + GeneratedFeed.encodeCursor(id);
  }

  private static String encodePageToken(long lower, long snapshot, boolean full) {
    return GeneratedFeed.encodeCursor("p:" + lower + ":" + snapshot + ":" + (full ? 1 : 0));
  }

  /** {@code [lower, snapshot, full]} of a page token, or null. */
  private static long[] decodePageToken(String token) {
    String decoded = GeneratedFeed.decodeCursor(token);
    String[] parts = decoded == null ? new String[0] : decoded.split(":");
    if (parts.length != 4 || !parts[0].equals("p")) {
      return null;
    }
    try {
      return new long[] {
        Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String encodeSyncToken(String accountId, long seq) {
    return "CP" + GeneratedFeed.encodeCursor(GeneratedFeed.tag(accountId) + ":" + seq);
  }

  /** The change number a sync token was issued at, or -1 when it is not this account's. */
  private static long decodeSyncToken(Account account, String token) {
    if (!token.startsWith("CP")) {
      return -1;
    }
    String decoded = GeneratedFeed.decodeCursor(token.substring(2));
    String[] parts = decoded == null ? new String[0] : decoded.split(":");
    if (parts.length != 2 || !parts[0].equals(GeneratedFeed.tag(account.id()))) {
      return -1;
    }
    try {
      long seq = Long.parseLong(parts[1]);
      return seq >= 0 && seq <= account.seq() ? seq : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
