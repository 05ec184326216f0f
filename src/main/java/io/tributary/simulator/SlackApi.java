package io.tributary.simulator;

import io.tributary.simulator.Account.Stored;
import io.tributary.simulator.TokenRegistry.AuthStatus;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Slack's Web API as Tributary uses it: {@code conversations.list} and {@code
 * conversations.history}, cursor pagination in {@code response_metadata.next_cursor}, and errors as
 * HTTP 200 with {@code "ok":false} except rate limits, which are HTTP 429 with {@code Retry-After}
 * (PROVIDERS.md, Slack).
 */
final class SlackApi extends ProviderApi {
  private static final String AUTHOR = "U0SIMUSER1";
  private static final BigDecimal MICRO = new BigDecimal("0.000001");

  SlackApi(ProviderSimulator sim) {
    super(sim, Provider.SLACK);
  }

  @Override
  SimResponse unauthorized(AuthStatus status) {
    return failure(
        switch (status) {
          case MISSING -> "not_authed";
          case EXPIRED -> "token_expired"; // a rotated token past its 12 h
          case REVOKED -> "token_revoked";
          default -> "invalid_auth";
        });
  }

  @Override
  SimResponse error(int status) {
    String code =
        switch (status) {
          case 503 -> "service_unavailable";
          case 429 -> "ratelimited";
          default -> status >= 500 ? "internal_error" : "invalid_arguments";
        };
    return SimResponse.json(
        status, JsonBodies.object().add("ok", false).add("error", code).build());
  }

  @Override
  SimResponse rateLimited(int retryAfterSeconds, boolean secondary) {
    // Rate limits are the one Slack error with a real HTTP status.
    return SimResponse.json(
            429, JsonBodies.object().add("ok", false).add("error", "ratelimited").build())
        .header("Retry-After", String.valueOf(retryAfterSeconds));
  }

  /** Slack's usual error: HTTP 200 with ok:false. */
  static SimResponse failure(String code) {
    return SimResponse.json(200, JsonBodies.object().add("ok", false).add("error", code).build());
  }

  @Override
  SimResponse serve(SimRequest request, Account account, Faults faults) {
    Map<String, List<String>> params = params(request);
    return switch (request.subPath()) {
      case "/conversations.list" -> list(params, account);
      case "/conversations.history" -> history(params, account, faults);
      default -> failure("unknown_method");
    };
  }

  private SimResponse list(Map<String, List<String>> params, Account account) {
    int limit = intParam(SimRequest.first(params, "limit"), 100);
    if (limit < 0) {
      return failure("invalid_limit");
    }
    limit = limit == 0 ? 100 : Math.min(limit, 1000);
    String types = SimRequest.first(params, "types");
    // Every simulated channel is public and unarchived.
    boolean publicWanted = types == null || types.isEmpty() || types.contains("public_channel");
    List<Stored> channels =
        publicWanted ? account.snapshot(item -> item.kind().equals("channel")) : new ArrayList<>();
    channels.sort(Comparator.comparing(s -> s.item().id()));
    int from = 0;
    String cursor = SimRequest.first(params, "cursor");
    if (cursor != null && !cursor.isEmpty()) {
      String decoded = GeneratedFeed.decodeCursor(cursor);
      if (decoded == null || !decoded.startsWith("team:")) {
        return failure("invalid_cursor");
      }
      String nextId = decoded.substring(5); // Slack's cursors name the first item of the next page
      while (from < channels.size() && channels.get(from).item().id().compareTo(nextId) < 0) {
        from++;
      }
    }
    int to = Math.min(channels.size(), from + limit);
    JsonArrayBuilder array = JsonBodies.array();
    for (Stored stored : channels.subList(from, to)) {
      Item item = stored.item();
      array.add(
          channel(
              item.id(),
              item.title(),
              account.isMember(item.id()),
              stored.createdAt(),
              item.updatedAt()));
    }
    String next =
        to < channels.size()
            ? GeneratedFeed.encodeCursor("team:" + channels.get(to).item().id())
            : "";
    return listResponse(array, next);
  }

  private SimResponse history(Map<String, List<String>> params, Account account, Faults faults) {
    String channel = SimRequest.first(params, "channel");
    if (channel == null || channel.isEmpty() || !account.hasChannel(channel)) {
      return failure("channel_not_found");
    }
    if (!account.isMember(channel)) {
      return failure("not_in_channel");
    }
    int limit = intParam(SimRequest.first(params, "limit"), 100);
    if (limit < 0) {
      return failure("invalid_limit");
    }
    limit = limit == 0 ? 100 : Math.min(limit, 999);
    if (faults.slackHistoryLimits()) {
      // Non-Marketplace apps: 1 request/min and at most 15 messages a page (PROVIDERS.md).
      long wait = account.claimHistoryCall(sim.clock().now());
      if (wait > 0) {
        return rateLimited((int) wait, false);
      }
      limit = Math.min(limit, 15);
    }
    Bounds bounds = Bounds.parse(params);
    if (bounds == null) {
      return failure("invalid_ts_oldest");
    }
    String cursor = SimRequest.first(params, "cursor");
    BigDecimal before = null;
    if (cursor != null && !cursor.isEmpty()) {
      before = cursorTs(cursor);
      if (before == null) {
        return failure("invalid_cursor");
      }
    }
    BigDecimal pageBefore = before;
    List<Stored> messages =
        account.snapshot(
            item ->
                item.kind().equals("message")
                    && channel.equals(item.containerId())
                    && bounds.contains(new BigDecimal(item.id()))
                    && (pageBefore == null || new BigDecimal(item.id()).compareTo(pageBefore) < 0));
    messages.sort(Comparator.comparing((Stored s) -> new BigDecimal(s.item().id())).reversed());
    int to = Math.min(messages.size(), limit);
    JsonArrayBuilder array = JsonBodies.array();
    for (Stored stored : messages.subList(0, to)) {
      Item item = stored.item();
      boolean edited = !item.updatedAt().equals(stored.createdAt());
      array.add(message(item.id(), item.title(), edited ? item.updatedAt() : null));
    }
    String next = to < messages.size() ? nextCursor(messages.get(to - 1).item().id()) : null;
    return historyResponse(array, next);
  }

  @Override
  SimResponse serveGenerated(SimRequest request, String accountId, GeneratedData shape) {
    Map<String, List<String>> params = params(request);
    String channelId = ProviderSimulator.generatedSlackChannel(accountId);
    switch (request.subPath()) {
      case "/conversations.list" -> {
        JsonArrayBuilder array =
            JsonBodies.array()
                .add(
                    channel(
                        channelId,
                        "general-" + GeneratedFeed.tag(accountId),
                        true,
                        GeneratedFeed.EPOCH,
                        GeneratedFeed.EPOCH));
        return listResponse(array, "");
      }
      case "/conversations.history" -> {
        if (!channelId.equals(SimRequest.first(params, "channel"))) {
          return failure("channel_not_found");
        }
        String oldestText = SimRequest.first(params, "oldest");
        BigDecimal oldest;
        try {
          oldest =
              oldestText == null || oldestText.isEmpty()
                  ? BigDecimal.ZERO
                  : new BigDecimal(oldestText);
        } catch (NumberFormatException e) {
          return failure("invalid_ts_oldest");
        }
        int page = 0;
        String cursor = SimRequest.first(params, "cursor");
        if (cursor != null && !cursor.isEmpty()) {
          String decoded = GeneratedFeed.decodeCursor(cursor);
          if (decoded == null || !decoded.startsWith("page:")) {
            return failure("invalid_cursor");
          }
          try {
            page = Integer.parseInt(decoded.substring(5));
          } catch (NumberFormatException e) {
            return failure("invalid_cursor");
          }
        }
        boolean fullSync = oldest.signum() == 0;
        String key = oldest.setScale(6, java.math.RoundingMode.DOWN).toPlainString();
        boolean full = fullSync || GeneratedFeed.forcedFullSync(shape, accountId, key);
        int count = full ? shape.totalItems() : GeneratedFeed.changedCount(shape, accountId, key);
        int from = full ? Math.min(count, page * shape.pageSize()) : 0;
        int to = full ? Math.min(count, from + shape.pageSize()) : count;
        JsonArrayBuilder array = JsonBodies.array();
        BigDecimal epoch = BigDecimal.valueOf(GeneratedFeed.EPOCH.getEpochSecond());
        for (int p = from; p < to; p++) {
          BigDecimal ts =
              fullSync
                  ? epoch.subtract(BigDecimal.valueOf(60L * p)) // one a minute, newest first
                  : oldest.add(
                      MICRO.multiply(BigDecimal.valueOf(count - (long) p))); // after oldest
          int index = fullSync ? p : GeneratedFeed.itemIndex(shape, accountId, key, p);
          array.add(
              message(
                  ts.setScale(6, java.math.RoundingMode.DOWN).toPlainString(),
                  "Message " + index,
                  null));
        }
        String next = to < count ? GeneratedFeed.encodeCursor("page:" + (page + 1)) : null;
        return historyResponse(array, next);
      }
      default -> {
        return failure("unknown_method");
      }
    }
  }

  /** Slack reads arguments from the query string and from a form body alike. */
  private static Map<String, List<String>> params(SimRequest request) {
    Map<String, List<String>> params = new LinkedHashMap<>(request.query());
    String contentType = request.header("content-type");
    if (request.method().equals("POST")
        && contentType != null
        && contentType.startsWith("application/x-www-form-urlencoded")) {
      request.form().forEach(params::putIfAbsent);
    }
    return params;
  }

  private static SimResponse listResponse(JsonArrayBuilder channels, String nextCursor) {
    return SimResponse.json(
        200,
        JsonBodies.object()
            .add("ok", true)
            .add("channels", channels)
            .add("response_metadata", JsonBodies.object().add("next_cursor", nextCursor))
            .build());
  }

  /**
   * On the last page the history answer leaves out response_metadata, where conversations.list
   * sends an empty next_cursor: PROVIDERS.md says both mean "last page", so clients meet both.
   */
  private static SimResponse historyResponse(JsonArrayBuilder messages, String nextCursor) {
    JsonObjectBuilder body =
        JsonBodies.object()
            .add("ok", true)
            .add("messages", messages)
            .add("has_more", nextCursor != null)
            .add("pin_count", 0)
            .addNull("channel_actions_ts")
            .add("channel_actions_count", 0);
    if (nextCursor != null) {
      body.add("response_metadata", JsonBodies.object().add("next_cursor", nextCursor));
    }
    return SimResponse.json(200, body.build());
  }

  private static JsonObjectBuilder channel(
      String id, String name, boolean member, Instant created, Instant updated) {
    JsonObjectBuilder empty =
        JsonBodies.object().add("value", "").add("creator", "").add("last_set", 0);
    return JsonBodies.object()
        .add("id", id)
        .add("name", name)
        .add("is_channel", true)
        .add("is_group", false)
        .add("is_im", false)
        .add("is_mpim", false)
        .add("is_private", false)
        .add("created", created.getEpochSecond())
        .add("is_archived", false)
        .add("is_general", false)
        .add("unlinked", 0)
        .add("name_normalized", name)
        .add("is_shared", false)
        .add("is_org_shared", false)
        .add("is_member", member)
        .add("topic", empty)
        .add("purpose", JsonBodies.object().add("value", "").add("creator", "").add("last_set", 0))
        .add("num_members", 2)
        .add("updated", updated.toEpochMilli());
  }

  private static JsonObjectBuilder message(String ts, String text, Instant editedAt) {
    JsonObjectBuilder message =
        JsonBodies.object()
            .add("type", "message")
            .add("user", AUTHOR)
            .add("text", text)
            .add("ts", ts)
            .add("team", "T0SIMTEAM1");
    if (editedAt != null) {
      message.add(
          "edited",
          JsonBodies.object()
              .add("user", AUTHOR)
              .add(
                  "ts",
                  editedAt.getEpochSecond()
                      + String.format(Locale.ROOT, ".%06d", editedAt.getNano() / 1000)));
    }
    return message;
  }

  private static String nextCursor(String lastTs) {
    return GeneratedFeed.encodeCursor("next_ts:" + lastTs);
  }

  private static BigDecimal cursorTs(String cursor) {
    String decoded = GeneratedFeed.decodeCursor(cursor);
    if (decoded == null || !decoded.startsWith("next_ts:")) {
      return null;
    }
    try {
      return new BigDecimal(decoded.substring(8));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The oldest/latest window of conversations.history; both ends exclusive unless inclusive. */
  private record Bounds(BigDecimal oldest, BigDecimal latest, boolean inclusive) {
    static Bounds parse(Map<String, List<String>> params) {
      try {
        String oldest = SimRequest.first(params, "oldest");
        String latest = SimRequest.first(params, "latest");
        String inclusive = SimRequest.first(params, "inclusive");
        return new Bounds(
            oldest == null || oldest.isEmpty() ? BigDecimal.ZERO : new BigDecimal(oldest),
            latest == null || latest.isEmpty() ? null : new BigDecimal(latest),
            "true".equals(inclusive) || "1".equals(inclusive));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    boolean contains(BigDecimal ts) {
      int fromOldest = ts.compareTo(oldest);
      if (fromOldest < 0 || (fromOldest == 0 && !inclusive)) {
        return false;
      }
      if (latest == null) {
        return true;
      }
      int toLatest = ts.compareTo(latest);
      return toLatest < 0 || (toLatest == 0 && inclusive);
    }
  }
}
