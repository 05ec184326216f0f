package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsSimulationTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private ProviderSimulator sim;
  private final Map<String, String> tokens = new java.util.HashMap<>();

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
    sim.clock().set(T0);
    for (String provider : List.of("github", "notion", "slack", "google_calendar")) {
      tokens.put(provider, sim.account(provider, "u").issueTokens(null, true).accessToken());
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** One ordinary sync call of each provider. */
  private HttpResponse<String> call(String provider) {
    Map<String, String> c = sim.configProperties();
    String auth = "Bearer " + tokens.get(provider);
    return switch (provider) {
      case "github" ->
          SimHttp.get(
              c.get("github.api.url") + "/user/repos", "Authorization", auth, "User-Agent", "t");
      case "notion" ->
          SimHttp.post(
              c.get("notion.api.url") + "/v1/search",
              "{}",
              "Authorization",
              auth,
              "Notion-Version",
              "2022-06-28");
      case "slack" ->
          SimHttp.get(c.get("slack.api.url") + "/conversations.list", "Authorization", auth);
      default ->
          SimHttp.get(
              c.get("google.calendar.api.url") + "/calendars/primary/events",
              "Authorization",
              auth);
    };
  }

  @Test
  void failNextAnswersTheStatusWithTheProvidersErrorJsonThenRecovers() {
    sim.faults("github").failNext(2, 502);
    sim.faults("notion").failNext(1, 500);
    sim.faults("slack").failNext(1, 500);
    sim.faults("google_calendar").failNext(1, 503);
    assertEquals(502, call("github").statusCode());
    assertEquals("Bad Gateway", SimHttp.json(call("github")).getString("message"));
    assertEquals(200, call("github").statusCode());
    HttpResponse<String> notion = call("notion");
    assertEquals(500, notion.statusCode());
    assertEquals("internal_server_error", SimHttp.json(notion).getString("code"));
    HttpResponse<String> slack = call("slack");
    assertEquals(500, slack.statusCode());
    assertFalse(SimHttp.json(slack).getBoolean("ok"));
    HttpResponse<String> google = call("google_calendar");
    assertEquals(503, google.statusCode());
    assertEquals(
        "backendError",
        SimHttp.json(google)
            .getJsonObject("error")
            .getJsonArray("errors")
            .getJsonObject(0)
            .getString("reason"));
    for (String provider : tokens.keySet()) {
      assertEquals(200, call(provider).statusCode(), provider);
    }
  }

  @Test
  void scriptedFaultsComeInTheOrderTheyWereConfigured() {
    sim.faults("slack").failNext(1, 500).rateLimitNext(1, 7).unauthorizedNext(1);
    assertEquals(500, call("slack").statusCode());
    assertEquals(429, call("slack").statusCode());
    assertEquals("invalid_auth", SimHttp.json(call("slack")).getString("error"));
    assertTrue(SimHttp.json(call("slack")).getBoolean("ok"));
  }

  @Test
  void githubPrimaryRateLimitIs403WithNoneRemainingAndAResetTime() {
    sim.faults("github").rateLimitNext(1, 120);
    HttpResponse<String> response = call("github");
    assertEquals(403, response.statusCode());
    assertEquals("0", response.headers().firstValue("x-ratelimit-remaining").orElseThrow());
    assertEquals(
        String.valueOf(T0.getEpochSecond() + 120),
        response.headers().firstValue("x-ratelimit-reset").orElseThrow());
    assertTrue(SimHttp.json(response).getString("message").startsWith("API rate limit exceeded"));
  }

  @Test
  void githubSecondaryRateLimitCarriesRetryAfterWithRemainingLeft() {
    sim.faults("github").secondaryRateLimitNext(1, 30);
    HttpResponse<String> response = call("github");
    assertEquals(429, response.statusCode());
    assertEquals("30", response.headers().firstValue("retry-after").orElseThrow());
    assertTrue(
        Integer.parseInt(response.headers().firstValue("x-ratelimit-remaining").orElseThrow()) > 0);
  }

  @Test
  void notionAndSlackRateLimitsAre429WithRetryAfter() {
    sim.faults("notion").rateLimitNext(1, 3);
    sim.faults("slack").rateLimitNext(1, 61);
    HttpResponse<String> notion = call("notion");
    assertEquals(429, notion.statusCode());
    assertEquals("3", notion.headers().firstValue("retry-after").orElseThrow());
    assertEquals("rate_limited", SimHttp.json(notion).getString("code"));
    HttpResponse<String> slack = call("slack");
    assertEquals(429, slack.statusCode());
    assertEquals("61", slack.headers().firstValue("retry-after").orElseThrow());
    assertEquals("ratelimited", SimHttp.json(slack).getString("error"));
  }

  @Test
  void googleRateLimitsAlternate403And429WithoutRetryAfter() {
    sim.faults("google_calendar").rateLimitNext(3, 10);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = call("google_calendar");
      assertFalse(response.headers().firstValue("retry-after").isPresent());
      JsonObject error = SimHttp.json(response).getJsonObject("error");
      seen.add(
          response.statusCode()
              + " "
              + error.getJsonArray("errors").getJsonObject(0).getString("reason"));
    }
    assertEquals(
        List.of("403 rateLimitExceeded", "429 rateLimitExceeded", "403 userRateLimitExceeded"),
        seen);
  }

  @Test
  void malformedNextAnswers200WithInvalidJson() {
    sim.account("github", "u").seed(3);
    sim.faults("github").malformedNext(1);
    HttpResponse<String> response = call("github");
    assertEquals(200, response.statusCode());
    assertThrows(JsonException.class, () -> SimHttp.jsonArray(response));
    assertEquals(3, SimHttp.jsonArray(call("github")).size());
  }

  @Test
  void downAnswers503EverywhereIncludingSlack() {
    for (String provider : tokens.keySet()) {
      sim.faults(provider).down(true);
      assertEquals(503, call(provider).statusCode(), provider);
      sim.faults(provider).down(false);
      assertEquals(200, call(provider).statusCode(), provider);
    }
  }

  @Test
  void unauthorizedNextAnswersEachProvidersAuthFailure() {
    for (String provider : tokens.keySet()) {
      sim.faults(provider).unauthorizedNext(1);
    }
    assertEquals(401, call("github").statusCode());
    assertEquals("unauthorized", SimHttp.json(call("notion")).getString("code"));
    HttpResponse<String> slack = call("slack");
    assertEquals(200, slack.statusCode());
    assertEquals("invalid_auth", SimHttp.json(slack).getString("error"));
    assertEquals(401, call("google_calendar").statusCode());
  }

  @Test
  void timeoutNextHangsUntilTheClientGivesUp() {
    sim.faults("slack").timeoutNext(1);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(sim.configProperties().get("slack.api.url") + "/conversations.list"))
            .header("Authorization", "Bearer " + tokens.get("slack"))
            .timeout(Duration.ofMillis(300))
            .build();
    long started = System.nanoTime();
    assertThrows(
        HttpTimeoutException.class,
        () -> SimHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
    assertTrue(System.nanoTime() - started >= Duration.ofMillis(290).toNanos());
    assertEquals(200, call("slack").statusCode(), "the next call is answered");
  }

  @Test
  void closeCutsOffHangingRequests() throws Exception {
    sim.faults("github").timeoutNext(1);
    var pending =
        SimHttp.CLIENT.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(sim.configProperties().get("github.api.url") + "/user/repos"))
                .header("Authorization", "Bearer " + tokens.get("github"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    while (sim.requestCount("github") == 0) {
      Thread.onSpinWait();
    }
    sim.close();
    var failure =
        assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> pending.get(5, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(
        failure.getCause() instanceof java.io.IOException, String.valueOf(failure.getCause()));
  }

  @Test
  void latencyDelaysEveryAnswer() {
    sim.faults("notion").latency(Duration.ofMillis(80));
    long started = System.nanoTime();
    assertEquals(200, call("notion").statusCode());
    assertTrue(System.nanoTime() - started >= Duration.ofMillis(80).toNanos());
    started = System.nanoTime();
    assertEquals(200, call("github").statusCode(), "other providers are not delayed");
  }

  @Test
  void errorRateIsReproducibleWithASeed() {
    List<Integer> first = statuses(0.5, 99);
    List<Integer> second = statuses(0.5, 99);
    assertEquals(first, second);
    assertTrue(first.contains(200));
    assertTrue(first.stream().anyMatch(s -> s >= 500));
  }

  private List<Integer> statuses(double rate, long seed) {
    sim.faults("google_calendar").clear().setSeed(seed).errorRate(rate);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      statuses.add(call("google_calendar").statusCode());
    }
    return statuses;
  }

  @Test
  void faultsDoNotTouchTokenEndpointsUnlessTokenEndpointDown() {
    Tokens tokens = sim.account("google_calendar", "v").issueTokens(Duration.ofHours(1), true);
    sim.faults("google_calendar").down(true);
    String form =
        SimHttp.form(
            "grant_type",
            "refresh_token",
            "refresh_token",
            tokens.refreshToken(),
            "client_id",
            "c",
            "client_secret",
            "s");
    String url = sim.configProperties().get("google.token.url");
    assertEquals(
        200,
        SimHttp.post(url, form, "Content-Type", "application/x-www-form-urlencoded").statusCode());
    sim.faults("google_calendar").tokenEndpointDown(true);
    assertEquals(
        503,
        SimHttp.post(url, form, "Content-Type", "application/x-www-form-urlencoded").statusCode());
  }

  @Test
  void requestsAreRecordedAndCountedPerProvider() {
    sim.account("github", "u").seed(1);
    call("github");
    call("github");
    call("slack");
    SimHttp.get(
        sim.configProperties().get("github.api.url") + "/issues?state=all",
        "User-Agent",
        "t",
        "Authorization",
        "Bearer " + tokens.get("github"));
    assertEquals(3, sim.requestCount("github"));
    assertEquals(1, sim.requestCount("github", "/issues"));
    assertEquals(1, sim.requestCount("slack", "conversations.list"));
    assertEquals(0, sim.requestCount("notion"));
    RecordedRequest last = sim.requests().get(sim.requests().size() - 1);
    assertEquals("github", last.provider());
    assertEquals("/github/issues", last.path());
    assertEquals("all", last.queryParam("state"));
    assertEquals("Bearer " + tokens.get("github"), last.headers().get("authorization").get(0));
    assertEquals(T0, last.at());
    sim.clearRequests();
    assertEquals(0, sim.requestCount("github"));
    assertTrue(sim.requests().isEmpty());
  }

  @Test
  void invalidFaultArgumentsAreRejected() {
    Faults faults = sim.faults("github");
    assertThrows(IllegalArgumentException.class, () -> faults.failNext(1, 200));
    assertThrows(IllegalArgumentException.class, () -> faults.errorRate(1.5));
    assertThrows(IllegalArgumentException.class, () -> faults.timeoutNext(-1));
    assertThrows(IllegalArgumentException.class, () -> sim.faults("gitlab"));
    assertThrows(UncheckedIOException.class, () -> ProviderSimulator.start(sim.port()));
  }
}
