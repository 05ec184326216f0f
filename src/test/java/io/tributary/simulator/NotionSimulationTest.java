package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotionSimulationTest {
  private ProviderSimulator sim;
  private Account account;
  private String token;
  private String search;

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
    sim.clock().set(Instant.parse("2025-03-01T10:00:00Z"));
    account = sim.account("notion", "workspace-1");
    token = account.issueTokens(null, true).accessToken();
    search = sim.configProperties().get("notion.api.url") + "/v1/search";
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<String> search(String body) {
    return SimHttp.post(
        search,
        body,
        "Authorization",
        "Bearer " + token,
        "Notion-Version",
        "2022-06-28",
        "Content-Type",
        "application/json");
  }

  private static String body(int pageSize, String cursor) {
    return "{\"sort\":{\"timestamp\":\"last_edited_time\",\"direction\":\"descending\"},"
        + "\"page_size\":"
        + pageSize
        + (cursor == null ? "" : ",\"start_cursor\":\"" + cursor + "\"")
        + "}";
  }

  @Test
  void cursorPaginationCoversEveryResultOnceNewestFirst() {
    account.seed(30);
    List<String> ids = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    JsonObject page;
    do {
      HttpResponse<String> response = search(body(25, cursor));
      assertEquals(200, response.statusCode());
      page = SimHttp.json(response);
      assertEquals("list", page.getString("object"));
      for (JsonObject result : page.getJsonArray("results").getValuesAs(JsonObject.class)) {
        ids.add(result.getString("id"));
        times.add(Instant.parse(result.getString("last_edited_time")));
      }
      pages++;
      cursor = page.getBoolean("has_more") ? page.getString("next_cursor") : null;
    } while (cursor != null);
    assertEquals(3, pages);
    assertEquals(JsonValue.NULL, page.get("next_cursor"));
    assertEquals(60, ids.size());
    assertEquals(60, new HashSet<>(ids).size());
    for (int i = 1; i < times.size(); i++) {
      assertFalse(times.get(i).isAfter(times.get(i - 1)), "newest first");
    }
  }

  @Test
  void pageTitleIsInPropertiesAndDatabaseTitleAtTheTop() {
    account.put("page", "1f0e2d3c-0000-4000-8000-000000000001", "Roadmap");
    sim.clock().advance(Duration.ofSeconds(1));
    account.put("database", "1f0e2d3c-0000-4000-8000-000000000002", "Tasks");
    List<JsonObject> results =
        SimHttp.json(search(body(100, null))).getJsonArray("results").getValuesAs(JsonObject.class);
    JsonObject database = results.get(0);
    JsonObject page = results.get(1);
    assertEquals("database", database.getString("object"));
    assertEquals("Tasks", database.getJsonArray("title").getJsonObject(0).getString("plain_text"));
    assertEquals("page", page.getString("object"));
    assertEquals(
        "Roadmap",
        page.getJsonObject("properties")
            .getJsonObject("title")
            .getJsonArray("title")
            .getJsonObject(0)
            .getString("plain_text"));
    assertEquals("2025-03-01T10:00:00.000Z", page.getString("last_edited_time"));
    assertEquals(account.items("page").get(0).url(), page.getString("url"));
  }

  @Test
  void itemEditedWhilePagingMovesToTheFrontWithoutRepeatsInTheRestOfThePass() {
    account.seed(10); // 20 results
    JsonObject first = SimHttp.json(search(body(5, null)));
    List<String> seen = ids(first);
    String unseen =
        account.items("page").stream()
            .map(Item::id)
            .filter(id -> !seen.contains(id))
            .findFirst()
            .orElseThrow();
    sim.clock().advance(Duration.ofMinutes(1));
    account.touch("page", unseen, "edited");
    List<String> rest = new ArrayList<>();
    String cursor = first.getString("next_cursor");
    while (cursor != null) {
      JsonObject page = SimHttp.json(search(body(5, cursor)));
      rest.addAll(ids(page));
      cursor = page.getBoolean("has_more") ? page.getString("next_cursor") : null;
    }
    assertEquals(14, rest.size()); // the edited one jumped ahead of the cursor
    assertEquals(14, new HashSet<>(rest).size());
    assertFalse(rest.stream().anyMatch(seen::contains));
    assertEquals(unseen, ids(SimHttp.json(search(body(5, null)))).get(0)); // the next sync sees it
  }

  private static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("results")
        .getValuesAs(JsonObject.class)
        .forEach(r -> ids.add(r.getString("id")));
    return ids;
  }

  @Test
  void missingVersionHeaderIsRejected() {
    HttpResponse<String> response =
        SimHttp.post(
            search, "{}", "Authorization", "Bearer " + token, "Content-Type", "application/json");
    assertEquals(400, response.statusCode());
    assertEquals("missing_version", SimHttp.json(response).getString("code"));
  }

  @Test
  void invalidJsonAndOversizedPagesAreRejected() {
    HttpResponse<String> invalid = search("{\"page_size\": ");
    assertEquals(400, invalid.statusCode());
    assertEquals("invalid_json", SimHttp.json(invalid).getString("code"));
    HttpResponse<String> tooBig = search(body(101, null));
    assertEquals(400, tooBig.statusCode());
    assertEquals("validation_error", SimHttp.json(tooBig).getString("code"));
    HttpResponse<String> badCursor = search(body(10, "not-a-cursor"));
    assertEquals("validation_error", SimHttp.json(badCursor).getString("code"));
  }

  @Test
  void badTokenIsUnauthorized() {
    token = "ntn_nope";
    HttpResponse<String> response = search(body(10, null));
    assertEquals(401, response.statusCode());
    JsonObject error = SimHttp.json(response);
    assertEquals("error", error.getString("object"));
    assertEquals(401, error.getInt("status"));
    assertEquals("unauthorized", error.getString("code"));
    assertEquals("API token is invalid.", error.getString("message"));
  }

  @Test
  void filterByObjectType() {
    account.seed(3);
    String body = "{\"filter\":{\"property\":\"object\",\"value\":\"database\"}}";
    List<JsonObject> results =
        SimHttp.json(search(body)).getJsonArray("results").getValuesAs(JsonObject.class);
    assertEquals(3, results.size());
    results.forEach(r -> assertEquals("database", r.getString("object")));
  }
}
