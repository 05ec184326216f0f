package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeneratedModeTest {
  private ProviderSimulator sim;

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
    sim.clock().set(Instant.parse("2025-03-01T10:00:30Z"));
    sim.setGenerated(new GeneratedData(3, 0, 3, 10));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<String> github(String account, String pathAndQuery) {
    String url =
        pathAndQuery.startsWith("http")
            ? pathAndQuery
            : sim.configProperties().get("github.api.url") + pathAndQuery;
    return SimHttp.get(url, "Authorization", "Bearer gen-github-" + account, "User-Agent", "bench");
  }

  private JsonObject google(String account, String query) {
    return SimHttp.json(
        SimHttp.get(
            sim.configProperties().get("google.calendar.api.url")
                + "/calendars/primary/events?"
                + query,
            "Authorization",
            "Bearer gen-google_calendar-" + account));
  }

  private JsonObject slack(String account, String methodAndQuery) {
    return SimHttp.json(
        SimHttp.get(
            sim.configProperties().get("slack.api.url") + "/" + methodAndQuery,
            "Authorization",
            "Bearer gen-slack-" + account));
  }

  private JsonObject notion(String account, String cursor) {
    return SimHttp.json(
        SimHttp.post(
            sim.configProperties().get("notion.api.url") + "/v1/search",
            cursor == null ? "{}" : "{\"start_cursor\":\"" + cursor + "\"}",
            "Authorization",
            "Bearer gen-notion-" + account,
            "Notion-Version",
            "2022-06-28"));
  }

  @Test
  void githubFullSyncIsFullSyncPagesOfPageSizeWithoutCreatingAccounts() {
    List<Long> ids = new ArrayList<>();
    String url = "/issues?filter=all&state=all&per_page=100";
    int pages = 0;
    while (url != null) {
      HttpResponse<String> response = github("acct-1", url);
      assertEquals(200, response.statusCode());
      SimHttp.jsonArray(response)
          .getValuesAs(JsonObject.class)
          .forEach(i -> ids.add(i.getJsonNumber("id").longValue()));
      url = SimHttp.nextLink(response);
      pages++;
    }
    assertEquals(3, pages);
    assertEquals(30, new HashSet<>(ids).size());
    assertEquals(0, sim.accountCount());
  }

  @Test
  void theSameRequestGetsTheSameAnswerAndAccountsDiffer() {
    String path = "/user/repos?since=2025-03-01T09:00:00Z";
    assertEquals(github("a", path).body(), github("a", path).body());
    assertNotEquals(github("a", "/user/repos").body(), github("b", "/user/repos").body());
  }

  @Test
  void incrementalRequestsReturnZeroToChangedMaxItemsOnOnePage() {
    Set<Integer> counts = new TreeSet<>();
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> response = github("acct-" + i, "/user/repos?since=2025-03-01T09:00:00Z");
      JsonArray repos = SimHttp.jsonArray(response);
      counts.add(repos.size());
      assertFalse(response.headers().firstValue("link").isPresent());
      for (JsonObject repo : repos.getValuesAs(JsonObject.class)) {
        assertTrue(
            Instant.parse(repo.getString("updated_at"))
                .isAfter(Instant.parse("2025-03-01T09:00:00Z")));
      }
    }
    assertEquals(Set.of(0, 1, 2, 3), counts);
  }

  @Test
  void fullSyncPercentTurnsIncrementalRequestsIntoFullSyncs() {
    sim.setGenerated(new GeneratedData(3, 100, 3, 10));
    HttpResponse<String> response =
        github("a", "/user/repos?since=2025-03-01T09:00:00Z&per_page=100");
    assertEquals(10, SimHttp.jsonArray(response).size());
    assertTrue(SimHttp.nextLink(response) != null);
    String syncToken = lastGooglePage("a").getString("nextSyncToken");
    JsonObject gone = google("a", "syncToken=" + SimHttp.encode(syncToken));
    assertEquals(410, gone.getJsonObject("error").getInt("code"));
  }

  private JsonObject lastGooglePage(String account) {
    JsonObject page = google(account, "maxResults=250&singleEvents=true&showDeleted=true");
    int pages = 1;
    while (page.containsKey("nextPageToken")) {
      assertFalse(page.containsKey("nextSyncToken"));
      page = google(account, "pageToken=" + SimHttp.encode(page.getString("nextPageToken")));
      pages++;
    }
    assertEquals(3, pages);
    return page;
  }

  @Test
  void googleChainsSyncTokensAndIncludesCancelledEvents() {
    String syncToken = lastGooglePage("cal").getString("nextSyncToken");
    int changed = 0;
    int cancelled = 0;
    for (int round = 0; round < 30; round++) {
      JsonObject page = google("cal", "syncToken=" + SimHttp.encode(syncToken));
      assertFalse(page.containsKey("nextPageToken"));
      List<JsonObject> items = page.getJsonArray("items").getValuesAs(JsonObject.class);
      assertTrue(items.size() <= 3);
      changed += items.size();
      cancelled +=
          (int) items.stream().filter(e -> e.getString("status").equals("cancelled")).count();
      String next = page.getString("nextSyncToken");
      assertNotEquals(syncToken, next);
      syncToken = next;
    }
    assertTrue(changed > 0);
    assertTrue(cancelled > 0);
  }

  @Test
  void slackHasOneChannelWithFullAndIncrementalHistory() {
    JsonArray channels = slack("team", "conversations.list").getJsonArray("channels");
    assertEquals(1, channels.size());
    String channel = channels.getJsonObject(0).getString("id");
    List<String> timestamps = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page =
          slack(
              "team",
              "conversations.history?limit=200&channel="
                  + channel
                  + (cursor == null ? "" : "&cursor=" + cursor));
      page.getJsonArray("messages")
          .getValuesAs(JsonObject.class)
          .forEach(m -> timestamps.add(m.getString("ts")));
      cursor =
          page.getBoolean("has_more")
              ? page.getJsonObject("response_metadata").getString("next_cursor")
              : null;
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    assertEquals(30, new HashSet<>(timestamps).size());
    String newest = timestamps.get(0);
    boolean sawChanges = false;
    String oldest = newest;
    for (int round = 0; round < 10; round++) {
      JsonObject page =
          slack("team", "conversations.history?channel=" + channel + "&oldest=" + oldest);
      List<JsonObject> messages = page.getJsonArray("messages").getValuesAs(JsonObject.class);
      assertTrue(messages.size() <= 3);
      for (JsonObject message : messages) {
        assertTrue(new BigDecimal(message.getString("ts")).compareTo(new BigDecimal(oldest)) > 0);
      }
      if (!messages.isEmpty()) {
        sawChanges = true;
        oldest = messages.get(0).getString("ts");
      } else {
        oldest = new BigDecimal(oldest).add(BigDecimal.ONE).toPlainString();
      }
    }
    assertTrue(sawChanges);
    assertEquals(
        "channel_not_found",
        slack("team", "conversations.history?channel=C0THER").getString("error"));
  }

  @Test
  void notionPagesStayInTheMinuteTheListingStarted() {
    JsonObject first = notion("ws", null);
    assertEquals(10, first.getJsonArray("results").size());
    JsonObject second = notion("ws", first.getString("next_cursor"));
    JsonObject third = notion("ws", second.getString("next_cursor"));
    assertFalse(third.getBoolean("has_more"));
    Set<String> ids = new HashSet<>();
    for (JsonObject page : List.of(first, second, third)) {
      page.getJsonArray("results")
          .getValuesAs(JsonObject.class)
          .forEach(r -> ids.add(r.getString("id")));
    }
    assertEquals(30, ids.size());
    assertEquals(first, withoutRequestId(notion("ws", null), first));
  }

  /** Notion answers carry a random request_id; compare the rest. */
  private static JsonObject withoutRequestId(JsonObject answer, JsonObject reference) {
    return jakarta.json.Json.createObjectBuilder(answer)
        .add("request_id", reference.getString("request_id"))
        .build();
  }

  @Test
  void generatedTokensOnlyWorkInGeneratedModeAndRealTokensKeepWorking() {
    String real = sim.account("github", "real").issueTokens(null, false).accessToken();
    assertEquals(
        200,
        SimHttp.get(
                sim.configProperties().get("github.api.url") + "/user/repos",
                "Authorization",
                "Bearer " + real,
                "User-Agent",
                "t")
            .statusCode());
    assertEquals(401, github("", "/user/repos").statusCode(), "gen-github- with no account id");
    sim.setGenerated(null);
    assertEquals(401, github("a", "/user/repos").statusCode());
  }

  @Test
  void manyAccountsLeaveNoStateAndABoundedLog() {
    for (int i = 0; i < 1_200; i++) {
      SimHttp.get(
          sim.configProperties().get("slack.api.url") + "/conversations.list",
          "Authorization",
          "Bearer gen-slack-load-" + i);
    }
    assertEquals(0, sim.accountCount());
    assertEquals(1_000, sim.requests().size());
    assertEquals(1_200, sim.requestCount("slack"));
  }

  @Test
  void shapesAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new GeneratedData(3, 5, 2, 101));
    assertThrows(IllegalArgumentException.class, () -> new GeneratedData(-1, 5, 2, 100));
    assertThrows(IllegalArgumentException.class, () -> new GeneratedData(3, 101, 2, 100));
  }
}
