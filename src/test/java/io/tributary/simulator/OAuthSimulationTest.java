package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthSimulationTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private ProviderSimulator sim;
  private Map<String, String> config;

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
    sim.clock().set(Instant.parse("2025-03-01T10:00:00Z"));
    config = sim.configProperties();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  // ---- API probes: 200 when the token works ----

  private int github(String token) {
    return SimHttp.get(
            config.get("github.api.url") + "/user/repos",
            "Authorization",
            "Bearer " + token,
            "User-Agent",
            "t")
        .statusCode();
  }

  private int notion(String token) {
    return SimHttp.post(
            config.get("notion.api.url") + "/v1/search",
            "{}",
            "Authorization",
            "Bearer " + token,
            "Notion-Version",
            "2022-06-28")
        .statusCode();
  }

  private String slack(String token) {
    JsonObject answer =
        SimHttp.json(
            SimHttp.get(
                config.get("slack.api.url") + "/conversations.list",
                "Authorization",
                "Bearer " + token));
    return answer.getBoolean("ok") ? "ok" : answer.getString("error");
  }

  private int google(String token) {
    return SimHttp.get(
            config.get("google.calendar.api.url") + "/calendars/primary/events",
            "Authorization",
            "Bearer " + token)
        .statusCode();
  }

  // ---- refresh calls, the provider's way ----

  private HttpResponse<String> githubRefresh(String refreshToken) {
    return SimHttp.post(
        config.get("github.token.url"),
        SimHttp.form(
            "client_id",
            "cid",
            "client_secret",
            "secret",
            "grant_type",
            "refresh_token",
            "refresh_token",
            refreshToken),
        "Accept",
        "application/json",
        "Content-Type",
        FORM);
  }

  private HttpResponse<String> notionRefresh(String refreshToken) {
    return SimHttp.post(
        config.get("notion.token.url"),
        "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refreshToken + "\"}",
        "Authorization",
        SimHttp.basic("cid", "secret"),
        "Content-Type",
        "application/json");
  }

  private HttpResponse<String> slackRefresh(String refreshToken) {
    return SimHttp.post(
        config.get("slack.token.url"),
        SimHttp.form("grant_type", "refresh_token", "refresh_token", refreshToken),
        "Authorization",
        SimHttp.basic("cid", "secret"),
        "Content-Type",
        FORM);
  }

  private HttpResponse<String> googleRefresh(String refreshToken) {
    return SimHttp.post(
        config.get("google.token.url"),
        SimHttp.form(
            "grant_type",
            "refresh_token",
            "refresh_token",
            refreshToken,
            "client_id",
            "cid",
            "client_secret",
            "secret"),
        "Content-Type",
        FORM);
  }

  @Test
  void githubRefreshRotatesBothTokensAndAnswersErrorsWithHttp200() {
    Account account = sim.account("github", "octo");
    Tokens tokens = account.issueTokens(Duration.ofHours(8), true);
    assertEquals(28800L, tokens.expiresInSeconds());
    HttpResponse<String> response = githubRefresh(tokens.refreshToken());
    assertEquals(200, response.statusCode());
    JsonObject fresh = SimHttp.json(response);
    assertTrue(fresh.getString("access_token").startsWith("ghu_"));
    assertTrue(fresh.getString("refresh_token").startsWith("ghr_"));
    assertEquals(28800, fresh.getInt("expires_in"));
    assertEquals("bearer", fresh.getString("token_type"));
    assertEquals(200, github(fresh.getString("access_token")));
    assertEquals(401, github(tokens.accessToken()), "the old access token died with the rotation");
    JsonObject reused = SimHttp.json(githubRefresh(tokens.refreshToken()));
    assertEquals("bad_refresh_token", reused.getString("error"));
    assertEquals(200, githubRefresh(fresh.getString("refresh_token")).statusCode());
  }

  @Test
  void githubTokenEndpointAnswersAFormWithoutAcceptJson() {
    Tokens tokens = sim.account("github", "octo").issueTokens(Duration.ofHours(8), true);
    HttpResponse<String> response =
        SimHttp.post(
            config.get("github.token.url"),
            SimHttp.form(
                "client_id",
                "cid",
                "client_secret",
                "s",
                "grant_type",
                "refresh_token",
                "refresh_token",
                tokens.refreshToken()),
            "Content-Type",
            FORM);
    assertTrue(response.body().startsWith("access_token=ghu_"), response.body());
  }

  @Test
  void githubTokensIssuedWithoutExpiryRefreshWithoutExpiresIn() {
    Tokens tokens = sim.account("github", "octo").issueTokens(null, true);
    assertNull(tokens.expiresInSeconds());
    JsonObject fresh = SimHttp.json(githubRefresh(tokens.refreshToken()));
    assertFalse(fresh.containsKey("expires_in"));
  }

  @Test
  void notionRefreshRotatesWithoutExpiresInAndRejectsWith400InvalidGrant() {
    Account account = sim.account("notion", "ws");
    Tokens tokens = account.issueTokens(null, true);
    JsonObject fresh = SimHttp.json(notionRefresh(tokens.refreshToken()));
    assertFalse(fresh.containsKey("expires_in"));
    assertEquals("bearer", fresh.getString("token_type"));
    assertTrue(fresh.containsKey("workspace_id") && fresh.containsKey("bot_id"));
    assertEquals(200, notion(fresh.getString("access_token")));
    assertEquals(401, notion(tokens.accessToken()));
    HttpResponse<String> reused = notionRefresh(tokens.refreshToken());
    assertEquals(400, reused.statusCode());
    assertEquals("invalid_grant", SimHttp.json(reused).getString("code"));
    HttpResponse<String> noBasic =
        SimHttp.post(
            config.get("notion.token.url"),
            "{\"grant_type\":\"refresh_token\",\"refresh_token\":\""
                + fresh.getString("refresh_token")
                + "\"}",
            "Content-Type",
            "application/json");
    assertEquals(401, noBasic.statusCode());
  }

  @Test
  void slackRefreshRotatesWithTwelveHourTokensAndRejectsWithOkFalse() {
    Account account = sim.account("slack", "T1");
    Tokens tokens = account.issueTokens(Duration.ofHours(12), true);
    JsonObject fresh = SimHttp.json(slackRefresh(tokens.refreshToken()));
    assertTrue(fresh.getBoolean("ok"));
    assertEquals(43200, fresh.getInt("expires_in"));
    assertTrue(fresh.getString("refresh_token").startsWith("xoxe-1-"));
    assertEquals("ok", slack(fresh.getString("access_token")));
    assertEquals("invalid_auth", slack(tokens.accessToken()));
    HttpResponse<String> reused = slackRefresh(tokens.refreshToken());
    assertEquals(200, reused.statusCode());
    assertEquals("invalid_refresh_token", SimHttp.json(reused).getString("error"));
  }

  @Test
  void googleRefreshKeepsTheRefreshTokenAndTheOldAccessToken() {
    Account account = sim.account("google_calendar", "ada");
    Tokens tokens = account.issueTokens(Duration.ofSeconds(3599), true);
    JsonObject first = SimHttp.json(googleRefresh(tokens.refreshToken()));
    assertEquals(3599, first.getInt("expires_in"));
    assertEquals("Bearer", first.getString("token_type"));
    assertTrue(first.containsKey("scope"));
    assertFalse(first.containsKey("refresh_token"), "not rotated, not sent again");
    JsonObject second = SimHttp.json(googleRefresh(tokens.refreshToken()));
    assertNotEquals(first.getString("access_token"), second.getString("access_token"));
    assertEquals(200, google(tokens.accessToken()));
    assertEquals(200, google(second.getString("access_token")));
    sim.clock().advance(Duration.ofSeconds(3599));
    assertEquals(401, google(second.getString("access_token")), "expired by the SimClock");
  }

  @Test
  void revokedGrantKillsEveryTokenAndRefreshAnswersEachProvidersInvalidGrant() {
    Tokens github = sim.account("github", "u").issueTokens(Duration.ofHours(8), true);
    Tokens notion = sim.account("notion", "u").issueTokens(null, true);
    Tokens slack = sim.account("slack", "u").issueTokens(Duration.ofHours(12), true);
    Tokens google = sim.account("google_calendar", "u").issueTokens(Duration.ofHours(1), true);
    for (String provider : List.of("github", "notion", "slack", "google_calendar")) {
      sim.account(provider, "u").revokeGrant();
    }
    assertEquals(401, github(github.accessToken()));
    assertEquals(401, notion(notion.accessToken()));
    assertEquals("token_revoked", slack(slack.accessToken()));
    assertEquals(401, google(google.accessToken()));
    assertEquals(
        "bad_refresh_token", SimHttp.json(githubRefresh(github.refreshToken())).getString("error"));
    HttpResponse<String> notionAnswer = notionRefresh(notion.refreshToken());
    assertEquals(400, notionAnswer.statusCode());
    assertEquals("invalid_grant", SimHttp.json(notionAnswer).getString("code"));
    assertEquals(
        "invalid_refresh_token",
        SimHttp.json(slackRefresh(slack.refreshToken())).getString("error"));
    HttpResponse<String> googleAnswer = googleRefresh(google.refreshToken());
    assertEquals(400, googleAnswer.statusCode());
    assertEquals("invalid_grant", SimHttp.json(googleAnswer).getString("error"));
    assertEquals(
        "Token has been expired or revoked.",
        SimHttp.json(googleAnswer).getString("error_description"));
  }

  @Test
  void expiredAccessTokensStillRefresh() {
    Account account = sim.account("slack", "T1");
    Tokens tokens = account.issueTokens(Duration.ofHours(12), true);
    account.expireAccessTokens();
    assertEquals("token_expired", slack(tokens.accessToken()));
    JsonObject fresh = SimHttp.json(slackRefresh(tokens.refreshToken()));
    assertEquals("ok", slack(fresh.getString("access_token")));
  }

  @Test
  void authorizeRedirectsWithCodeAndStateAndTheCodeBuysTheLoginsTokens() {
    HttpResponse<String> redirect =
        SimHttp.get(
            config.get("google.authorize.url")
                + "?client_id=cid&redirect_uri="
                + SimHttp.encode("http://localhost:8080/callback?x=1")
                + "&state=s%2B1&scope=calendar&response_type=code&login=grace");
    assertEquals(302, redirect.statusCode());
    URI location = URI.create(redirect.headers().firstValue("location").orElseThrow());
    assertEquals("/callback", location.getPath());
    Map<String, List<String>> query = SimRequest.parseQuery(location.getRawQuery());
    assertEquals("s+1", query.get("state").get(0));
    String code = query.get("code").get(0);
    JsonObject tokens =
        SimHttp.json(
            SimHttp.post(
                config.get("google.token.url"),
                SimHttp.form(
                    "grant_type",
                    "authorization_code",
                    "code",
                    code,
                    "redirect_uri",
                    "http://localhost:8080/callback?x=1",
                    "client_id",
                    "cid",
                    "client_secret",
                    "s"),
                "Content-Type",
                FORM));
    assertTrue(tokens.containsKey("refresh_token"));
    sim.account("google_calendar", "grace").put("event", "graceevent1", "Grace's");
    HttpResponse<String> events =
        SimHttp.get(
            config.get("google.calendar.api.url") + "/calendars/primary/events",
            "Authorization",
            "Bearer " + tokens.getString("access_token"));
    assertEquals(
        "graceevent1", SimHttp.json(events).getJsonArray("items").getJsonObject(0).getString("id"));
    HttpResponse<String> again =
        SimHttp.post(
            config.get("google.token.url"),
            SimHttp.form(
                "grant_type",
                "authorization_code",
                "code",
                code,
                "client_id",
                "cid",
                "client_secret",
                "s"),
            "Content-Type",
            FORM);
    assertEquals(400, again.statusCode(), "a code works once");
  }

  @Test
  void codeExchangePerProviderDefaultsToDemoUser() {
    for (String provider : List.of("github", "notion", "slack")) {
      HttpResponse<String> redirect =
          SimHttp.get(
              config.get(provider + ".authorize.url")
                  + "?client_id=cid&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&state=xyz");
      String code =
          SimRequest.parseQuery(
                  URI.create(redirect.headers().firstValue("location").orElseThrow()).getRawQuery())
              .get("code")
              .get(0);
      HttpResponse<String> response =
          switch (provider) {
            case "github" ->
                SimHttp.post(
                    config.get("github.token.url"),
                    SimHttp.form("client_id", "c", "client_secret", "s", "code", code),
                    "Accept",
                    "application/json");
            case "notion" ->
                SimHttp.post(
                    config.get("notion.token.url"),
                    "{\"grant_type\":\"authorization_code\",\"code\":\""
                        + code
                        + "\",\"redirect_uri\":\"http://localhost/cb\"}",
                    "Authorization",
                    SimHttp.basic("c", "s"),
                    "Content-Type",
                    "application/json");
            default ->
                SimHttp.post(
                    config.get("slack.token.url"),
                    SimHttp.form("code", code),
                    "Authorization",
                    SimHttp.basic("c", "s"),
                    "Content-Type",
                    FORM);
          };
      JsonObject tokens = SimHttp.json(response);
      assertTrue(tokens.containsKey("access_token"), provider + ": " + response.body());
      assertTrue(tokens.containsKey("refresh_token"), provider);
    }
    String slackToken = null;
    for (RecordedRequest request : sim.requests()) {
      if (request.path().equals("/slack/api/oauth.v2.access")) {
        slackToken = request.header("authorization");
      }
    }
    assertEquals(SimHttp.basic("c", "s"), slackToken, "client credentials are in the request log");
    assertEquals(0, sim.requestCount("slack"), "token calls are not API calls");
  }

  @Test
  void deniedConsentRedirectsWithAccessDenied() {
    HttpResponse<String> redirect =
        SimHttp.get(
            config.get("slack.authorize.url")
                + "?client_id=cid&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&state=abc&deny=true");
    assertEquals(
        "http://localhost/cb?error=access_denied&state=abc",
        redirect.headers().firstValue("location").orElseThrow());
  }
}
