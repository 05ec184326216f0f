package io.tributary.simulator;

import io.tributary.simulator.Account.Stored;
import io.tributary.simulator.TokenRegistry.AuthStatus;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Notion's search API as Tributary uses it: {@code POST /v1/search} sorted by {@code
 * last_edited_time}, pages and databases, cursor pagination with {@code has_more} / {@code
 * next_cursor}, and the {@code Notion-Version} header required (PROVIDERS.md, Notion).
 */
final class NotionApi extends ProviderApi {
  private static final String USER_ID = "6e2b4d1a-0c5e-4f7a-9b1d-3f2a8c7e5d40";

  NotionApi(ProviderSimulator sim) {
    super(sim, Provider.NOTION);
  }

  @Override
  SimResponse unauthorized(AuthStatus status) {
    return error(401, "unauthorized", "API token is invalid.");
  }

  @Override
  SimResponse error(int status) {
    return switch (status) {
      case 400 -> error(status, "invalid_request", "Invalid request.");
      case 401 -> unauthorized(AuthStatus.UNKNOWN);
      case 403 -> error(status, "restricted_resource", "API token does not have access.");
      case 404 -> error(status, "object_not_found", "Could not find object.");
      case 409 -> error(status, "conflict_error", "Conflict occurred while saving data.");
      case 429 -> rateLimited(1, false);
      case 502 -> error(status, "bad_gateway", "Bad gateway.");
      case 503 -> error(status, "service_unavailable", "Notion is unavailable, try again later.");
      case 504 -> error(status, "gateway_timeout", "Notion timed out.");
      case 529 -> error(status, "service_overload", "Notion is overloaded, try again later.");
      default ->
          status >= 500
              ? error(status, "internal_server_error", "Unexpected error occurred.")
              : error(status, "validation_error", reasonPhrase(status));
    };
  }

  @Override
  SimResponse rateLimited(int retryAfterSeconds, boolean secondary) {
    return error(
            429, "rate_limited", "You have been rate limited. Please try again in a few minutes.")
        .header("Retry-After", String.valueOf(retryAfterSeconds));
  }

  static SimResponse error(int status, String code, String message) {
    return SimResponse.json(
        status,
        JsonBodies.object()
            .add("object", "error")
            .add("status", status)
            .add("code", code)
            .add("message", message)
            .add("request_id", requestId())
            .build());
  }

  @Override
  SimResponse serve(SimRequest request, Account account, Faults faults) {
    Object parsed = parse(request);
    if (parsed instanceof SimResponse rejection) {
      return rejection;
    }
    Search search = (Search) parsed;
    List<Stored> results =
        account.snapshot(
            item ->
                (search.objectFilter == null || search.objectFilter.equals(item.kind()))
                    && (search.query == null
                        || item.title().toLowerCase(Locale.ROOT).contains(search.query)));
    Comparator<Stored> order =
        Comparator.comparing((Stored s) -> s.item().updatedAt())
            .reversed()
            .thenComparing(s -> s.item().id());
    if (search.ascending) {
      order =
          Comparator.comparing((Stored s) -> s.item().updatedAt())
              .thenComparing(s -> s.item().id());
    }
    results.sort(order);
    int from = 0;
    if (search.startCursor != null) {
      // Keyset cursor (time, id) of the last item served: stable while items change, as a real
      // cursor is; an item edited meanwhile moves to the front and is seen by the next sync.
      String[] key = decodeKey(search.startCursor);
      if (key == null) {
        return error(
            400, "validation_error", "body failed validation: body.start_cursor is invalid.");
      }
      Instant time = Instant.ofEpochMilli(Long.parseLong(key[0]));
      while (from < results.size()
          && !after(results.get(from).item(), time, key[1], search.ascending)) {
        from++;
      }
    }
    int to = Math.min(results.size(), from + search.pageSize);
    JsonArrayBuilder array = JsonBodies.array();
    for (Stored stored : results.subList(from, to)) {
      Item item = stored.item();
      array.add(
          json(
              item.kind(),
              item.id(),
              item.title(),
              item.url(),
              stored.createdAt(),
              item.updatedAt()));
    }
    String next = null;
    if (to < results.size()) {
      Item last = results.get(to - 1).item();
      next = GeneratedFeed.encodeCursor("k:" + last.updatedAt().toEpochMilli() + ":" + last.id());
    }
    return list(array, next);
  }

  @Override
  SimResponse serveGenerated(SimRequest request, String accountId, GeneratedData shape) {
    Object parsed = parse(request);
    if (parsed instanceof SimResponse rejection) {
      return rejection;
    }
    Search search = (Search) parsed;
    // Notion search has no "since": the client reads newest first and stops at its cursor. So
    // generated data changes per minute of the SimClock: the minute picks which items were edited
    // in it; everything else carries old dates. A cursor stays in its minute.
    long minute;
    int position;
    if (search.startCursor == null) {
      minute = sim.clock().now().getEpochSecond() / 60;
      position = 0;
    } else {
      String decoded = GeneratedFeed.decodeCursor(search.startCursor);
      String[] parts = decoded == null ? new String[0] : decoded.split(":");
      if (parts.length != 3 || !parts[0].equals("g")) {
        return error(
            400, "validation_error", "body failed validation: body.start_cursor is invalid.");
      }
      try {
        minute = Long.parseLong(parts[1]);
        position = Integer.parseInt(parts[2]);
      } catch (NumberFormatException e) {
        return error(
            400, "validation_error", "body failed validation: body.start_cursor is invalid.");
      }
    }
    String slot = String.valueOf(minute);
    Instant slotStart = Instant.ofEpochSecond(minute * 60);
    int total = shape.totalItems();
    boolean full = GeneratedFeed.forcedFullSync(shape, accountId, slot);
    int changed = full ? total : GeneratedFeed.changedCount(shape, accountId, slot);
    int to = Math.min(total, position + shape.pageSize());
    JsonArrayBuilder array = JsonBodies.array();
    for (int p = position; p < to; p++) {
      int index = GeneratedFeed.itemIndex(shape, accountId, slot, p);
      Instant edited =
          p < changed
              ? slotStart.plusMillis(full ? total - p : (changed - p) * 100L)
              : GeneratedFeed.EPOCH.minus(Duration.ofMinutes(p - changed + 1L));
      String id =
          new UUID(
                  GeneratedFeed.hash(accountId, "n", String.valueOf(index)),
                  GeneratedFeed.hash(accountId, "m", String.valueOf(index)))
              .toString();
      boolean database = index % 4 == 3;
      String title = (database ? "Database " : "Page ") + index;
      String url = "https://www.notion.so/" + title.replace(' ', '-') + "-" + id.replace("-", "");
      array.add(json(database ? "database" : "page", id, title, url, GeneratedFeed.EPOCH, edited));
    }
    String next = to < total ? GeneratedFeed.encodeCursor("g:" + minute + ":" + to) : null;
    return list(array, next);
  }

  /** Validates a search request: a {@link Search}, or the {@link SimResponse} rejecting it. */
  private Object parse(SimRequest request) {
    if (!request.method().equals("POST") || !request.subPath().equals("/v1/search")) {
      return error(400, "invalid_request_url", "Invalid request URL.");
    }
    String version = request.header("notion-version");
    if (version == null || version.isBlank()) {
      return error(
          400,
          "missing_version",
          "Notion-Version header failed validation: Notion-Version header should be defined,"
              + " instead was `undefined`.");
    }
    JsonValue body;
    try {
      body =
          request.body().isBlank() ? JsonValue.EMPTY_JSON_OBJECT : JsonBodies.parse(request.body());
    } catch (JsonException | IllegalStateException e) {
      return error(400, "invalid_json", "Error parsing JSON body.");
    }
    if (!(body instanceof JsonObject object)) {
      return error(400, "validation_error", "body failed validation: body should be an object.");
    }
    int pageSize = 100;
    JsonValue size = object.get("page_size");
    if (size != null && size != JsonValue.NULL) {
      if (!(size instanceof JsonNumber number)
          || !number.isIntegral()
          || number.longValue() < 1
          || number.longValue() > 100) {
        return error(
            400,
            "validation_error",
            "body failed validation: body.page_size should be a number between 1 and 100,"
                + " instead was `"
                + size
                + "`.");
      }
      pageSize = number.intValue();
    }
    String startCursor = null;
    JsonValue cursor = object.get("start_cursor");
    if (cursor != null && cursor != JsonValue.NULL) {
      if (!(cursor instanceof JsonString text)) {
        return error(
            400,
            "validation_error",
            "body failed validation: body.start_cursor should be a string.");
      }
      startCursor = text.getString();
    }
    boolean ascending = false;
    JsonValue sort = object.get("sort");
    if (sort != null && sort != JsonValue.NULL) {
      if (!(sort instanceof JsonObject sortObject)
          || !"last_edited_time".equals(sortObject.getString("timestamp", null))
          || !List.of("ascending", "descending").contains(sortObject.getString("direction", ""))) {
        return error(
            400,
            "validation_error",
            "body failed validation: body.sort should be {\"timestamp\":\"last_edited_time\","
                + "\"direction\":\"ascending\"|\"descending\"}.");
      }
      ascending = sortObject.getString("direction").equals("ascending");
    }
    String objectFilter = null;
    JsonValue filter = object.get("filter");
    if (filter != null && filter != JsonValue.NULL) {
      if (!(filter instanceof JsonObject filterObject)
          || !"object".equals(filterObject.getString("property", null))
          || !List.of("page", "database", "data_source")
              .contains(filterObject.getString("value", ""))) {
        return error(
            400,
            "validation_error",
            "body failed validation: body.filter should be {\"property\":\"object\","
                + "\"value\":\"page\"|\"database\"}.");
      }
      objectFilter = filterObject.getString("value");
    }
    String query = null;
    if (object.get("query") instanceof JsonString text && !text.getString().isBlank()) {
      query = text.getString().toLowerCase(Locale.ROOT);
    }
    return new Search(pageSize, startCursor, ascending, objectFilter, query);
  }

  private record Search(
      int pageSize, String startCursor, boolean ascending, String objectFilter, String query) {}

  private static boolean after(Item item, Instant time, String id, boolean ascending) {
    int byTime = item.updatedAt().compareTo(time);
    if (byTime != 0) {
      return ascending ? byTime > 0 : byTime < 0;
    }
    return item.id().compareTo(id) > 0;
  }

  private static String[] decodeKey(String cursor) {
    String decoded = GeneratedFeed.decodeCursor(cursor);
    if (decoded == null || !decoded.startsWith("k:")) {
      return null;
    }
    String[] parts = decoded.substring(2).split(":", 2);
    if (parts.length != 2 || !parts[0].matches("-?\\d{1,19}")) {
      return null;
    }
    return parts;
  }

  private static SimResponse list(JsonArrayBuilder results, String nextCursor) {
    JsonObjectBuilder body = JsonBodies.object().add("object", "list").add("results", results);
    JsonBodies.addNullable(body, "next_cursor", nextCursor);
    return SimResponse.json(
        200,
        body.add("has_more", nextCursor != null)
            .add("type", "page_or_database")
            .add("page_or_database", JsonBodies.object())
            .add("request_id", requestId())
            .build());
  }

  private static JsonObjectBuilder json(
      String kind, String id, String title, String url, Instant created, Instant edited) {
    JsonObjectBuilder user = JsonBodies.object().add("object", "user").add("id", USER_ID);
    JsonObjectBuilder object =
        JsonBodies.object()
            .add("object", kind)
            .add("id", id)
            .add("created_time", JsonBodies.millis(created.truncatedTo(ChronoUnit.MILLIS)))
            .add("last_edited_time", JsonBodies.millis(edited))
            .add("created_by", user)
            .add("last_edited_by", JsonBodies.object().add("object", "user").add("id", USER_ID))
            .addNull("cover")
            .addNull("icon")
            .add("parent", JsonBodies.object().add("type", "workspace").add("workspace", true))
            .add("archived", false)
            .add("in_trash", false);
    JsonArrayBuilder richTitle = JsonBodies.array().add(richText(title));
    if (kind.equals("page")) {
      // A page's title sits in its title property (PROVIDERS.md: "a title in their properties").
      object.add(
          "properties",
          JsonBodies.object()
              .add(
                  "title",
                  JsonBodies.object()
                      .add("id", "title")
                      .add("type", "title")
                      .add("title", richTitle)));
    } else {
      object
          .add("title", richTitle)
          .add("description", JsonBodies.array())
          .add(
              "properties",
              JsonBodies.object()
                  .add(
                      "Name",
                      JsonBodies.object()
                          .add("id", "title")
                          .add("name", "Name")
                          .add("type", "title")
                          .add("title", JsonBodies.object())))
          .add("is_inline", false);
    }
    return object.add("url", url).addNull("public_url");
  }

  private static JsonObjectBuilder richText(String text) {
    return JsonBodies.object()
        .add("type", "text")
        .add("text", JsonBodies.object().add("content", text).addNull("link"))
        .add(
            "annotations",
            JsonBodies.object()
                .add("bold", false)
                .add("italic", false)
                .add("strikethrough", false)
                .add("underline", false)
                .add("code", false)
                .add("color", "default"))
        .add("plain_text", text)
        .addNull("href");
  }

  private static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }
}
