package io.tributary.simulator;

import io.tributary.simulator.Account.Stored;
import io.tributary.simulator.TokenRegistry.AuthStatus;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub's REST API as Tributary uses it: {@code GET /user/repos} and {@code GET /issues} (issues
 * and pull requests), paginated with the {@code Link} header, filtered with {@code since}, with the
 * {@code x-ratelimit-*} headers on every response (PROVIDERS.md, GitHub).
 */
final class GithubApi extends ProviderApi {
  private static final String DOCS = "https://docs.github.com/rest";
  private static final String RATE_DOCS =
      "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
  private static final int HOURLY_LIMIT = 5000;
  private static final String REPO = "tributary-sim";

  /** Requests one token made in the current clock hour (GitHub: 5,000 per hour per token). */
  private static final class Budget {
    Instant window;
    int used;
  }

  private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();

  GithubApi(ProviderSimulator sim) {
    super(sim, Provider.GITHUB);
  }

  @Override
  SimResponse preAuth(SimRequest request) {
    String userAgent = request.header("user-agent");
    if (userAgent == null || userAgent.isBlank()) {
      // GitHub rejects calls without a User-Agent before it looks at anything else.
      return SimResponse.json(
          403,
          JsonBodies.object()
              .add(
                  "message",
                  "Request forbidden by administrative rules. Please make sure your request has a"
                      + " User-Agent header"
                      + " (https://docs.github.com/rest/overview/resources-in-the-rest-api#user-agent-required).")
              .add("documentation_url", DOCS)
              .build());
    }
    return null;
  }

  @Override
  SimResponse unauthorized(AuthStatus status) {
    // Bad, expired and revoked tokens all look alike at GitHub.
    String message = status == AuthStatus.MISSING ? "Requires authentication" : "Bad credentials";
    return SimResponse.json(
        401,
        JsonBodies.object()
            .add("message", message)
            .add("documentation_url", DOCS)
            .add("status", "401")
            .build());
  }

  @Override
  SimResponse error(int status) {
    JsonObjectBuilder body =
        JsonBodies.object()
            .add("message", status == 422 ? "Validation Failed" : reasonPhrase(status))
            .add("documentation_url", DOCS)
            .add("status", String.valueOf(status));
    if (status == 422) {
      body.add("errors", JsonBodies.array().add(JsonBodies.object().add("code", "invalid")));
    }
    return SimResponse.json(status, body.build());
  }

  @Override
  SimResponse rateLimited(int retryAfterSeconds, boolean secondary) {
    Instant now = sim.clock().now();
    if (secondary) {
      // Secondary limits: retry-after, and remaining may still be above 0 (PROVIDERS.md).
      return SimResponse.json(
              429,
              JsonBodies.object()
                  .add(
                      "message",
                      "You have exceeded a secondary rate limit. Please wait a few minutes before"
                          + " you try again.")
                  .add("documentation_url", RATE_DOCS)
                  .build())
          .header("retry-after", String.valueOf(retryAfterSeconds))
          .header("x-ratelimit-limit", String.valueOf(HOURLY_LIMIT))
          .header("x-ratelimit-remaining", "4000")
          .header("x-ratelimit-used", "1000")
          .header("x-ratelimit-reset", String.valueOf(hourEnd(now).getEpochSecond()))
          .header("x-ratelimit-resource", "core");
    }
    return primaryLimit(now.plusSeconds(retryAfterSeconds));
  }

  private SimResponse primaryLimit(Instant reset) {
    return SimResponse.json(
            403,
            JsonBodies.object()
                .add(
                    "message",
                    "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for"
                        + " help, please include the request ID.")
                .add("documentation_url", RATE_DOCS)
                .build())
        .header("x-ratelimit-limit", String.valueOf(HOURLY_LIMIT))
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-used", String.valueOf(HOURLY_LIMIT))
        .header("x-ratelimit-reset", String.valueOf(reset.getEpochSecond()))
        .header("x-ratelimit-resource", "core");
  }

  @Override
  SimResponse decorate(SimResponse response, String token) {
    response.header("x-github-api-version-selected", "2022-11-28");
    if (response.headers.containsKey("x-ratelimit-limit")) {
      return response;
    }
    Instant now = sim.clock().now();
    int used = 0;
    Budget budget = token == null ? null : budgets.get(token); // get: never grows the map
    if (budget != null) {
      synchronized (budget) {
        used = now.truncatedTo(ChronoUnit.HOURS).equals(budget.window) ? budget.used : 0;
      }
    } else if (token != null && token.startsWith("gen-")) {
      used = 1;
    }
    int limit = token == null ? 60 : HOURLY_LIMIT; // unauthenticated calls get 60 an hour
    return response
        .header("x-ratelimit-limit", String.valueOf(limit))
        .header("x-ratelimit-remaining", String.valueOf(Math.max(0, limit - used)))
        .header("x-ratelimit-used", String.valueOf(used))
        .header("x-ratelimit-reset", String.valueOf(hourEnd(now).getEpochSecond()))
        .header("x-ratelimit-resource", "core");
  }

  @Override
  SimResponse serve(SimRequest request, Account account, Faults faults) {
    Instant now = sim.clock().now();
    if (!consumeBudget(request.bearer(), now)) {
      return primaryLimit(hourEnd(now));
    }
    Set<String> kinds = kinds(request);
    if (kinds == null) {
      return error(404);
    }
    Query query = Query.parse(request, kinds.contains("repository"));
    if (query == null) {
      return error(422);
    }
    // since compares whole seconds and includes an item updated exactly at it (>=): a client that
    // stores the newest updated_at as its cursor sees that item again, never misses one.
    List<Stored> matching =
        account.snapshot(
            item ->
                kinds.contains(item.kind())
                    && (query.since == null
                        || !item.updatedAt()
                            .truncatedTo(ChronoUnit.SECONDS)
                            .isBefore(query.since)));
    if (query.closedOnly) {
      matching.clear(); // every simulated issue is open
    }
    matching.sort(query.order());
    int from = Math.min(matching.size(), (query.page - 1) * query.perPage);
    int to = Math.min(matching.size(), from + query.perPage);
    JsonArrayBuilder array = JsonBodies.array();
    for (Stored stored : matching.subList(from, to)) {
      Item item = stored.item();
      array.add(
          json(
              item.kind(),
              item.id(),
              item.title(),
              item.url(),
              stored.ordinal(),
              stored.createdAt(),
              item.updatedAt(),
              account.id()));
    }
    int lastPage = Math.max(1, (matching.size() + query.perPage - 1) / query.perPage);
    return withLinks(SimResponse.json(200, array.build()), request, query.page, lastPage);
  }

  @Override
  SimResponse serveGenerated(SimRequest request, String accountId, GeneratedData shape) {
    Set<String> kinds = kinds(request);
    if (kinds == null) {
      return error(404);
    }
    Query query = Query.parse(request, kinds.contains("repository"));
    if (query == null) {
      return error(422);
    }
    int size = shape.pageSize();
    String cursor =
        query.since == null ? null : request.subPath() + JsonBodies.seconds(query.since);
    boolean full = cursor == null || GeneratedFeed.forcedFullSync(shape, accountId, cursor);
    int count = full ? shape.totalItems() : GeneratedFeed.changedCount(shape, accountId, cursor);
    int lastPage = full ? shape.fullSyncPages() : 1;
    int from = Math.min(count, (query.page - 1) * size);
    int to = Math.min(count, from + size);
    long idBase =
        Math.floorMod(GeneratedFeed.hash(accountId, request.subPath()), 1_000_000_000_000L);
    JsonArrayBuilder array = JsonBodies.array();
    for (int p = from; p < to; p++) {
      int index = cursor == null ? p : GeneratedFeed.itemIndex(shape, accountId, cursor, p);
      Instant updated;
      if (cursor == null) {
        updated = GeneratedFeed.EPOCH.minus(Duration.ofMinutes(p)); // newest first
      } else if (full) {
        updated = query.since.plusSeconds(1);
      } else {
        updated = query.since.plusSeconds(count - p); // after the cursor, newest first
      }
      String kind =
          kinds.contains("repository") ? "repository" : index % 3 == 2 ? "pull_request" : "issue";
      String id = String.valueOf(idBase * 1_000_000L + index);
      String title =
          switch (kind) {
            case "repository" -> "repo-" + index;
            case "issue" -> "Issue " + index;
            default -> "Pull request " + index;
          };
      String url =
          kind.equals("repository")
              ? "https://github.com/" + accountId + "/" + title
              : "https://github.com/"
                  + accountId
                  + "/"
                  + REPO
                  + (kind.equals("issue") ? "/issues/" : "/pull/")
                  + (index + 1);
      array.add(json(kind, id, title, url, index + 1, GeneratedFeed.EPOCH, updated, accountId));
    }
    return withLinks(SimResponse.json(200, array.build()), request, query.page, lastPage);
  }

  /** The item kinds a path lists, or null for an unknown path. */
  private static Set<String> kinds(SimRequest request) {
    if (!request.method().equals("GET")) {
      return null;
    }
    return switch (request.subPath()) {
      case "/user/repos" -> Set.of("repository");
      case "/issues" -> Set.of("issue", "pull_request");
      default -> null;
    };
  }

  /** Counts a call against the token's hourly budget; false when the budget is spent. */
  private boolean consumeBudget(String token, Instant now) {
    Budget budget = budgets.computeIfAbsent(token, t -> new Budget());
    synchronized (budget) {
      Instant window = now.truncatedTo(ChronoUnit.HOURS);
      if (!window.equals(budget.window)) {
        budget.window = window;
        budget.used = 0;
      }
      if (budget.used >= HOURLY_LIMIT) {
        return false;
      }
      budget.used++;
      return true;
    }
  }

  private static Instant hourEnd(Instant now) {
    return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
  }

  /** Adds {@code Link} with next/last (and prev/first after page 1); none on a single page. */
  private SimResponse withLinks(SimResponse response, SimRequest request, int page, int lastPage) {
    List<String> links = new ArrayList<>();
    if (page > 1) {
      links.add("<" + pageUrl(request, Math.min(page - 1, lastPage)) + ">; rel=\"prev\"");
    }
    if (page < lastPage) {
      links.add("<" + pageUrl(request, page + 1) + ">; rel=\"next\"");
      links.add("<" + pageUrl(request, lastPage) + ">; rel=\"last\"");
    }
    if (page > 1) {
      links.add("<" + pageUrl(request, 1) + ">; rel=\"first\"");
    }
    if (!links.isEmpty()) {
      response.header("Link", String.join(", ", links));
    }
    return response;
  }

  private String pageUrl(SimRequest request, int page) {
    StringBuilder url = new StringBuilder(sim.baseUri().toString()).append(request.path());
    char separator = '?';
    boolean pageDone = false;
    for (Map.Entry<String, List<String>> param : request.query().entrySet()) {
      boolean isPage = param.getKey().equals("page");
      List<String> values = isPage ? List.of(String.valueOf(page)) : param.getValue();
      pageDone |= isPage;
      for (String value : values) {
        url.append(separator).append(encode(param.getKey())).append('=').append(encode(value));
        separator = '&';
      }
    }
    if (!pageDone) {
      url.append(separator).append("page=").append(page);
    }
    return url.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonObjectBuilder json(
      String kind,
      String id,
      String title,
      String url,
      long number,
      Instant created,
      Instant updated,
      String owner) {
    JsonObjectBuilder object = JsonBodies.object();
    if (id.matches("\\d{1,18}")) {
      object.add("id", Long.parseLong(id)); // GitHub ids are numbers
    } else {
      object.add("id", id);
    }
    String apiRepo = "https://api.github.com/repos/" + owner + "/";
    JsonObjectBuilder user =
        JsonBodies.object().add("login", owner).add("id", 1).add("type", "User");
    if (kind.equals("repository")) {
      return object
          .add("node_id", "R_" + Integer.toHexString(id.hashCode()))
          .add("name", title)
          .add("full_name", owner + "/" + title)
          .add("private", false)
          .add("owner", user)
          .add("html_url", url)
          .addNull("description")
          .add("fork", false)
          .add("url", apiRepo + title)
          .add("created_at", JsonBodies.seconds(created))
          .add("updated_at", JsonBodies.seconds(updated))
          .add("pushed_at", JsonBodies.seconds(updated))
          .add("default_branch", "main")
          .add("visibility", "public")
          .add("archived", false);
    }
    object
        .add("node_id", "I_" + Integer.toHexString(id.hashCode()))
        .add("number", number)
        .add("title", title)
        .add("state", "open")
        .add("locked", false)
        .add("html_url", url)
        .add("url", apiRepo + REPO + "/issues/" + number)
        .add("repository_url", apiRepo + REPO)
        .add("user", user)
        .add("labels", JsonBodies.array())
        .add("comments", 0)
        .add("created_at", JsonBodies.seconds(created))
        .add("updated_at", JsonBodies.seconds(updated))
        .addNull("closed_at")
        .addNull("body");
    if (kind.equals("pull_request")) {
      // The "pull_request" key is what tells a pull request from an issue (PROVIDERS.md).
      object
          .add("draft", false)
          .add(
              "pull_request",
              JsonBodies.object()
                  .add("url", apiRepo + REPO + "/pulls/" + number)
                  .add("html_url", url)
                  .add("diff_url", url + ".diff")
                  .add("patch_url", url + ".patch")
                  .addNull("merged_at"));
    }
    return object;
  }

  /** The list parameters of a request. */
  private record Query(
      int perPage, int page, Instant since, String sort, boolean ascending, boolean closedOnly) {

    /** GitHub's order: by the sort field (ties: newest created first), in the direction. */
    Comparator<Stored> order() {
      Comparator<Stored> ascendingOrder =
          switch (sort) {
            case "full_name" -> Comparator.comparing((Stored s) -> s.item().title());
            case "created" -> Comparator.comparing(Stored::createdAt);
            default -> Comparator.comparing((Stored s) -> s.item().updatedAt()); // updated, pushed
          };
      ascendingOrder = ascendingOrder.thenComparingLong(Stored::ordinal);
      return ascending ? ascendingOrder : ascendingOrder.reversed();
    }

    /** Parses the parameters, or returns null when one is invalid (GitHub answers 422). */
    static Query parse(SimRequest request, boolean repositories) {
      int perPage = intParam(request.param("per_page"), 30);
      perPage = perPage <= 0 ? 30 : Math.min(perPage, 100); // GitHub ignores bad values
      int page = Math.max(1, intParam(request.param("page"), 1));
      Instant since = null;
      String sinceText = request.param("since");
      if (sinceText != null && !sinceText.isEmpty()) {
        try {
          since = OffsetDateTime.parse(sinceText).toInstant();
        } catch (DateTimeParseException e) {
          return null;
        }
      }
      // Defaults as GitHub's: repositories by full_name ascending, issues by created descending.
      String sort = request.param("sort");
      if (sort == null || sort.isEmpty()) {
        sort = repositories ? "full_name" : "created";
      }
      Set<String> sorts =
          repositories
              ? Set.of("full_name", "created", "updated", "pushed")
              : Set.of("created", "updated", "comments");
      if (!sorts.contains(sort)) {
        return null;
      }
      String direction = request.param("direction");
      if (direction == null || direction.isEmpty()) {
        direction = sort.equals("full_name") ? "asc" : "desc";
      }
      if (!direction.equals("asc") && !direction.equals("desc")) {
        return null;
      }
      String state = request.param("state");
      if (!repositories
          && state != null
          && !state.equals("open")
          && !state.equals("closed")
          && !state.equals("all")) {
        return null;
      }
      return new Query(
          perPage,
          page,
          since,
          sort.equals("comments") ? "created" : sort, // every simulated issue has 0 comments
          direction.equals("asc"),
          !repositories && "closed".equals(state));
    }
  }
}
