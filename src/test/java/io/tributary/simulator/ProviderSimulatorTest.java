package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderSimulatorTest {
  private ProviderSimulator sim;

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void bindsToLoopbackAndPublishesTributaryBaseUrls() {
    assertEquals("127.0.0.1", sim.baseUri().getHost());
    assertTrue(sim.port() > 0);
    Map<String, String> config = sim.configProperties();
    assertEquals(12, config.size());
    String base = sim.baseUri().toString();
    assertEquals(base + "/github", config.get("github.api.url"));
    assertEquals(base + "/github/login/oauth/access_token", config.get("github.token.url"));
    assertEquals(base + "/notion", config.get("notion.api.url"));
    assertEquals(base + "/slack/api", config.get("slack.api.url"));
    assertEquals(base + "/slack/oauth/v2/authorize", config.get("slack.authorize.url"));
    assertEquals(base + "/google/calendar/v3", config.get("google.calendar.api.url"));
    assertEquals(base + "/google/token", config.get("google.token.url"));
    assertEquals(base + "/google/o/oauth2/v2/auth", config.get("google.authorize.url"));
    assertEquals(200, SimHttp.get(base + "/").statusCode());
    HttpResponse<String> unknown = SimHttp.get(base + "/gitlab/api/v4/projects");
    assertEquals(404, unknown.statusCode());
    assertEquals("unknown", sim.requests().get(1).provider());
  }

  @Test
  void manyConcurrentRequestsAreAllAnswered() {
    String github = sim.account("github", "u").issueTokens(null, false).accessToken();
    String slack = sim.account("slack", "u").issueTokens(null, false).accessToken();
    sim.account("github", "u").seed(20);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      HttpRequest request =
          i % 2 == 0
              ? HttpRequest.newBuilder(
                      URI.create(sim.configProperties().get("github.api.url") + "/user/repos"))
                  .header("Authorization", "Bearer " + github)
                  .header("User-Agent", "t")
                  .build()
              : HttpRequest.newBuilder(
                      URI.create(
                          sim.configProperties().get("slack.api.url") + "/conversations.list"))
                  .header("Authorization", "Bearer " + slack)
                  .build();
      calls.add(SimHttp.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertEquals(200, call.join().statusCode());
    }
    assertEquals(150, sim.requestCount("github"));
    assertEquals(150, sim.requestCount("slack"));
    assertEquals(300, sim.requests().size());
  }

  @Test
  void latencyIsATimerSoSlowAnswersDoNotQueueBehindEachOther() {
    sim.setGenerated(new GeneratedData(3, 5, 1, 10));
    sim.faults("google_calendar").latency(Duration.ofMillis(400));
    long started = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(
          SimHttp.CLIENT.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(
                          sim.configProperties().get("google.calendar.api.url")
                              + "/calendars/primary/events"))
                  .header("Authorization", "Bearer gen-google_calendar-a" + i)
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    calls.forEach(call -> assertEquals(200, call.join().statusCode()));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    // 200 answers on 64 sleeping threads would take at least 4 x 400 ms.
    assertTrue(elapsed.compareTo(Duration.ofMillis(1400)) < 0, elapsed.toString());
  }

  @Test
  void accountDataRulesAreEnforced() {
    Account slack = sim.account("slack", "T");
    assertThrows(IllegalArgumentException.class, () -> slack.put("page", "p", "wrong kind"));
    assertThrows(
        IllegalArgumentException.class, () -> slack.put("message", "1.0", "needs a channel"));
    assertThrows(
        IllegalArgumentException.class, () -> slack.putMessage("C404", "1.000001", "no channel"));
    slack.put("channel", "C1", "general");
    assertThrows(
        IllegalArgumentException.class, () -> slack.putMessage("C1", "yesterday", "bad ts"));
    slack.putMessage("C1", "1700000000.000001", "hi");
    assertEquals("C1", slack.items("message").get(0).containerId());
    slack.touch("message", "1700000000.000001", "hi, edited");
    assertEquals("hi, edited", slack.items("message").get(0).title());
    slack.delete("channel", "C1");
    assertTrue(slack.items("message").isEmpty(), "a channel's messages go with it");
    slack.delete("channel", "C1"); // deleting again does nothing
    assertThrows(IllegalArgumentException.class, () -> slack.touch("channel", "C1", "gone"));
    assertThrows(IllegalArgumentException.class, () -> sim.account("gitlab", "x"));
    assertEquals(slack, sim.account("slack", "T"));
  }

  @Test
  void seedIsDeterministicAndDeletedGoogleEventsLeaveItems() {
    Account first = sim.account("notion", "same");
    first.seed(2);
    try (ProviderSimulator other = ProviderSimulator.start(0)) {
      Account second = other.account("notion", "same");
      second.seed(2);
      assertEquals(ids(first.items("page")), ids(second.items("page")));
    }
    Account calendar = sim.account("google_calendar", "g");
    calendar.seed(3);
    calendar.delete("event", "event000002");
    assertEquals(List.of("event000001", "event000003"), ids(calendar.items("event")));
  }

  @Test
  void clockFollowsTheSystemUntilSetThenMovesOnlyWhenTold() {
    SimClock clock = sim.clock();
    Instant before = Instant.now().minusSeconds(1);
    assertTrue(clock.now().isAfter(before));
    clock.set(Instant.parse("2030-01-01T00:00:00.123456Z"));
    assertEquals(Instant.parse("2030-01-01T00:00:00.123Z"), clock.now());
    clock.advance(Duration.ofHours(1));
    assertEquals(Instant.parse("2030-01-01T01:00:00.123Z"), clock.now());
    Item item = sim.account("github", "u").put("repository", "1", "r");
    assertEquals(clock.now(), item.updatedAt());
  }

  @Test
  void standaloneMainServesUntilKilled() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ProviderSimulator.class.getName(),
                "--port",
                "0",
                "--latency-ms",
                "1",
                "--generated",
                "--changed-max",
                "2",
                "--full-sync-percent",
                "0",
                "--page-size",
                "5")
            .redirectErrorStream(true)
            .start();
    try {
      String line =
          new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertTrue(line != null && line.startsWith("simulator listening on http://127.0.0.1:"), line);
      String base = line.substring("simulator listening on ".length());
      HttpResponse<String> response =
          SimHttp.get(
              base + "/github/user/repos",
              "Authorization",
              "Bearer gen-github-bench",
              "User-Agent",
              "bench");
      assertEquals(200, response.statusCode());
      assertEquals(5, SimHttp.jsonArray(response).size());
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  private static List<String> ids(List<Item> items) {
    return items.stream().map(Item::id).toList();
  }
}
