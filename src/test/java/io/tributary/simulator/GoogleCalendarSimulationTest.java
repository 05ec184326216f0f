package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoogleCalendarSimulationTest {
  private ProviderSimulator sim;
  private Account account;
  private String token;
  private String events;

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
    sim.clock().set(Instant.parse("2025-03-01T10:00:00Z"));
    account = sim.account("google_calendar", "ada");
    token = account.issueTokens(null, true).accessToken();
    events = sim.configProperties().get("google.calendar.api.url") + "/calendars/primary/events";
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<String> list(String query) {
    return SimHttp.get(events + "?" + query, "Authorization", "Bearer " + token);
  }

  /** Follows nextPageToken to the end; returns the events by id and the final nextSyncToken. */
  private Sync sync(String firstQuery) {
    Map<String, JsonObject> byId = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    String pageToken = null;
    int pages = 0;
    while (true) {
      HttpResponse<String> response =
          list(firstQuery + (pageToken == null ? "" : "&pageToken=" + SimHttp.encode(pageToken)));
      assertEquals(200, response.statusCode(), response.body());
      JsonObject page = SimHttp.json(response);
      pages++;
      for (JsonObject event : page.getJsonArray("items").getValuesAs(JsonObject.class)) {
        ids.add(event.getString("id"));
        byId.put(event.getString("id"), event);
      }
      if (page.containsKey("nextPageToken")) {
        assertFalse(page.containsKey("nextSyncToken"), "nextSyncToken only on the last page");
        pageToken = page.getString("nextPageToken");
      } else {
        return new Sync(ids, byId, page.getString("nextSyncToken"), pages);
      }
    }
  }

  private record Sync(
      List<String> ids, Map<String, JsonObject> byId, String syncToken, int pages) {}

  @Test
  void fullSyncPagesCoverEveryEventOnceWithSyncTokenOnlyOnTheLastPage() {
    account.seed(23);
    Sync full = sync("maxResults=10&singleEvents=true&showDeleted=true");
    assertEquals(3, full.pages());
    assertEquals(23, full.ids().size());
    assertEquals(23, new HashSet<>(full.ids()).size());
    JsonObject event = full.byId().get("event000001");
    assertEquals("confirmed", event.getString("status"));
    assertEquals("Event 1", event.getString("summary"));
    assertTrue(
        event.getString("htmlLink").startsWith("https://www.google.com/calendar/event?eid="));
    assertTrue(full.syncToken() != null && !full.syncToken().isEmpty());
  }

  @Test
  void incrementalSyncReturnsOnlyChangesIncludingCancelledEvents() {
    account.seed(5);
    Sync full = sync("maxResults=250&singleEvents=true&showDeleted=true");
    assertEquals(5, full.ids().size());
    account.touch("event", "event000002", "Moved");
    account.delete("event", "event000003");
    account.put("event", "brandnew01", "New");
    Sync changes = sync("syncToken=" + SimHttp.encode(full.syncToken()));
    assertEquals(List.of("event000002", "event000003", "brandnew01"), changes.ids());
    assertEquals("Moved", changes.byId().get("event000002").getString("summary"));
    JsonObject cancelled = changes.byId().get("event000003");
    assertEquals("cancelled", cancelled.getString("status"));
    assertFalse(cancelled.containsKey("summary"), "Google only promises the id of a deleted event");
    assertEquals(5, account.items("event").size()); // 5 seeded, 1 cancelled, 1 new
    Sync none = sync("syncToken=" + SimHttp.encode(changes.syncToken()));
    assertEquals(List.of(), none.ids());
  }

  @Test
  void cancelledEventsShowInAFullSyncOnlyWithShowDeleted() {
    account.seed(3);
    account.delete("event", "event000001");
    assertEquals(3, sync("showDeleted=true").ids().size());
    assertEquals(2, sync("singleEvents=true").ids().size());
  }

  @Test
  void expiredSyncTokenAnswers410FullSyncRequired() {
    account.seed(2);
    String syncToken = sync("showDeleted=true").syncToken();
    sim.faults("google_calendar").syncTokenExpired(true);
    HttpResponse<String> response = list("syncToken=" + SimHttp.encode(syncToken));
    assertEquals(410, response.statusCode());
    JsonObject expected =
        Json.createReader(
                new StringReader(
                    "{\"error\":{\"code\":410,\"message\":\"Sync token is no longer valid, a full"
                        + " sync is required.\",\"errors\":[{\"domain\":\"calendar\",\"reason\":"
                        + "\"fullSyncRequired\",\"message\":\"Sync token is no longer valid, a full"
                        + " sync is required.\"}]}}"))
            .readObject();
    assertEquals(expected, SimHttp.json(response));
    assertEquals(200, list("showDeleted=true").statusCode(), "a full sync still works");
    sim.faults("google_calendar").syncTokenExpired(false);
    assertEquals(200, list("syncToken=" + SimHttp.encode(syncToken)).statusCode());
    assertEquals(410, list("syncToken=CPgarbage").statusCode(), "unknown token");
  }

  @Test
  void syncTokenWithFiltersIsABadRequest() {
    String syncToken = sync("showDeleted=true").syncToken();
    HttpResponse<String> response =
        list("syncToken=" + SimHttp.encode(syncToken) + "&timeMin=2025-01-01T00:00:00Z");
    assertEquals(400, response.statusCode());
    assertEquals(
        "invalid",
        SimHttp.json(response)
            .getJsonObject("error")
            .getJsonArray("errors")
            .getJsonObject(0)
            .getString("reason"));
  }

  @Test
  void eventsChangedWhilePagingAreLeftToTheNextIncrementalSync() {
    account.seed(6);
    JsonObject first = SimHttp.json(list("maxResults=3&showDeleted=true"));
    account.touch("event", "event000005", "Changed mid-sync"); // not yet served
    account.put("event", "latecomer1", "Late");
    JsonObject second =
        SimHttp.json(
            list(
                "maxResults=3&showDeleted=true&pageToken="
                    + SimHttp.encode(first.getString("nextPageToken"))));
    List<String> secondIds = new ArrayList<>();
    second
        .getJsonArray("items")
        .getValuesAs(JsonObject.class)
        .forEach(e -> secondIds.add(e.getString("id")));
    assertEquals(List.of("event000004", "event000006"), secondIds);
    Sync next = sync("syncToken=" + SimHttp.encode(second.getString("nextSyncToken")));
    assertEquals(List.of("event000005", "latecomer1"), next.ids());
  }

  @Test
  void shortAndEmptyPagesStillCoverEverythingWhenTheClientTrustsNextPageToken() {
    account.seed(7);
    sim.faults("google_calendar").shortPages(true);
    JsonObject first = SimHttp.json(list("maxResults=4&showDeleted=true"));
    assertEquals(0, first.getJsonArray("items").size());
    assertTrue(first.containsKey("nextPageToken"));
    Sync full = sync("maxResults=4&showDeleted=true");
    assertEquals(5, full.pages()); // empty, then 2 + 2 + 2 + 1
    assertEquals(7, new HashSet<>(full.ids()).size());
  }

  @Test
  void invalidCredentialsShape() {
    token = "ya29.unknown";
    HttpResponse<String> response = list("maxResults=10");
    assertEquals(401, response.statusCode());
    JsonObject error = SimHttp.json(response).getJsonObject("error");
    assertEquals(401, error.getInt("code"));
    assertEquals("Invalid Credentials", error.getString("message"));
    assertEquals("authError", error.getJsonArray("errors").getJsonObject(0).getString("reason"));
  }

  @Test
  void otherCalendarsAreNotFound() {
    HttpResponse<String> response =
        SimHttp.get(
            sim.configProperties().get("google.calendar.api.url") + "/calendars/other/events",
            "Authorization",
            "Bearer " + token);
    assertEquals(404, response.statusCode());
  }
}
