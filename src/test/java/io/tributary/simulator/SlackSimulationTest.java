package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackSimulationTest {
  private ProviderSimulator sim;
  private Account account;
  private String token;
  private String api;

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
    sim.clock().set(Instant.parse("2025-03-01T10:00:00Z"));
    account = sim.account("slack", "T1");
    token = account.issueTokens(Duration.ofHours(12), true).accessToken();
    api = sim.configProperties().get("slack.api.url");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private JsonObject call(String methodAndQuery) {
    HttpResponse<String> response =
        SimHttp.get(api + "/" + methodAndQuery, "Authorization", "Bearer " + token);
    assertEquals(200, response.statusCode(), response.body());
    return SimHttp.json(response);
  }

  @Test
  void conversationsListPaginatesWithNextCursorUntilEmpty() {
    account.seed(5);
    account.setMember("C00000003", false);
    List<String> ids = new ArrayList<>();
    List<Boolean> member = new ArrayList<>();
    String cursor = "";
    int pages = 0;
    do {
      JsonObject page =
          call(
              "conversations.list?types=public_channel,private_channel&exclude_archived=true&limit=2&cursor="
                  + SimHttp.encode(cursor));
      assertTrue(page.getBoolean("ok"));
      for (JsonObject channel : page.getJsonArray("channels").getValuesAs(JsonObject.class)) {
        ids.add(channel.getString("id"));
        member.add(channel.getBoolean("is_member"));
      }
      cursor = page.getJsonObject("response_metadata").getString("next_cursor");
      pages++;
    } while (!cursor.isEmpty());
    assertEquals(3, pages);
    assertEquals(List.of("C00000001", "C00000002", "C00000003", "C00000004", "C00000005"), ids);
    assertEquals(List.of(true, true, false, true, true), member);
  }

  @Test
  void historyIsNewestFirstPaginatedAndOldestIsExclusive() {
    account.put("channel", "C1", "general");
    for (int i = 1; i <= 7; i++) {
      account.putMessage("C1", "1700000000.00000" + i, "m" + i);
    }
    List<String> texts = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    JsonObject page;
    do {
      page =
          call(
              "conversations.history?channel=C1&oldest=1700000000.000002&limit=2"
                  + (cursor == null ? "" : "&cursor=" + SimHttp.encode(cursor)));
      page.getJsonArray("messages")
          .getValuesAs(JsonObject.class)
          .forEach(
              m -> {
                assertEquals("message", m.getString("type"));
                texts.add(m.getString("text"));
              });
      pages++;
      cursor =
          page.getBoolean("has_more")
              ? page.getJsonObject("response_metadata").getString("next_cursor")
              : null;
    } while (cursor != null);
    assertEquals(List.of("m7", "m6", "m5", "m4", "m3"), texts); // m2 is the cursor itself: excluded
    assertEquals(3, pages);
    assertFalse(page.containsKey("response_metadata"), "last page: no next cursor at all");
    JsonObject inclusive =
        call("conversations.history?channel=C1&oldest=1700000000.000002&inclusive=true&limit=100");
    assertEquals(6, inclusive.getJsonArray("messages").size());
  }

  @Test
  void newMessagesAfterTheCursorAreTheOnlyOnesReturned() {
    account.seed(2);
    List<JsonObject> all =
        call("conversations.history?channel=C00000001&limit=200")
            .getJsonArray("messages")
            .getValuesAs(JsonObject.class);
    assertEquals(2, all.size());
    String newest = all.get(0).getString("ts");
    account.putMessage("C00000001", "1900000000.000001", "fresh");
    List<JsonObject> changed =
        call("conversations.history?channel=C00000001&limit=200&oldest=" + newest)
            .getJsonArray("messages")
            .getValuesAs(JsonObject.class);
    assertEquals(1, changed.size());
    assertEquals("fresh", changed.get(0).getString("text"));
  }

  @Test
  void channelErrorsAreHttp200WithOkFalse() {
    account.put("channel", "C1", "general");
    account.setMember("C1", false);
    assertEquals("not_in_channel", call("conversations.history?channel=C1").getString("error"));
    assertEquals(
        "channel_not_found", call("conversations.history?channel=C404").getString("error"));
    assertEquals("invalid_cursor", call("conversations.list?cursor=zzz").getString("error"));
    assertEquals("unknown_method", call("chat.postMessage").getString("error"));
  }

  @Test
  void tokenProblemsAreHttp200WithTheirOwnCodes() {
    account.put("channel", "C1", "general");
    token = "xoxb-unknown";
    assertEquals("invalid_auth", call("conversations.list").getString("error"));
    token = account.issueTokens(Duration.ofHours(12), true).accessToken();
    sim.clock().advance(Duration.ofHours(12));
    assertEquals("token_expired", call("conversations.list").getString("error"));
    token = account.issueTokens(null, false).accessToken();
    assertTrue(call("conversations.list").getBoolean("ok"));
    account.revokeGrant();
    assertEquals("token_revoked", call("conversations.list").getString("error"));
    HttpResponse<String> none = SimHttp.get(api + "/conversations.list");
    assertEquals("not_authed", SimHttp.json(none).getString("error"));
  }

  @Test
  void marketplaceHistoryLimitsAllowOneCallPerMinuteOfFifteenMessages() {
    account.seed(20);
    sim.faults("slack").slackHistoryLimits(true);
    JsonObject first = call("conversations.history?channel=C00000001&limit=200");
    assertEquals(15, first.getJsonArray("messages").size());
    assertTrue(first.getBoolean("has_more"));
    HttpResponse<String> second =
        SimHttp.get(
            api + "/conversations.history?channel=C00000001", "Authorization", "Bearer " + token);
    assertEquals(429, second.statusCode());
    assertEquals("60", second.headers().firstValue("retry-after").orElseThrow());
    sim.clock().advance(Duration.ofSeconds(60));
    assertTrue(call("conversations.history?channel=C00000001").getBoolean("ok"));
  }

  @Test
  void postFormArgumentsWorkLikeQueryArguments() {
    account.seed(3);
    HttpResponse<String> response =
        SimHttp.post(
            api + "/conversations.list",
            "limit=1",
            "Authorization",
            "Bearer " + token,
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertEquals(1, SimHttp.json(response).getJsonArray("channels").size());
    assertTrue(SimHttp.json(response).getBoolean("ok"));
  }
}
