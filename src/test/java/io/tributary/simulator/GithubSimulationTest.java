package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GithubSimulationTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private ProviderSimulator sim;
  private Account account;
  private String token;
  private String api;

  @BeforeEach
  void start() {
    sim = ProviderSimulator.start(0);
    sim.clock().set(T0);
    account = sim.account("github", "octo");
    token = account.issueTokens(null, false).accessToken();
    api = sim.configProperties().get("github.api.url");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<String> call(String url) {
    return SimHttp.get(
        url,
        "Authorization",
        "Bearer " + token,
        "Accept",
        "application/vnd.github+json",
        "X-GitHub-Api-Version",
        "2022-11-28",
        "User-Agent",
        "tributary-test");
  }

  @Test
  void linkHeaderPaginationCoversEveryRepositoryOnceNewestFirst() {
    account.seed(45);
    List<String> ids = new ArrayList<>();
    String url = api + "/user/repos?per_page=10&sort=updated&direction=desc";
    int pages = 0;
    HttpResponse<String> response;
    do {
      response = call(url);
      assertEquals(200, response.statusCode());
      for (JsonObject repo : SimHttp.jsonArray(response).getValuesAs(JsonObject.class)) {
        ids.add(String.valueOf(repo.getJsonNumber("id").longValue()));
      }
      pages++;
      url = SimHttp.nextLink(response);
    } while (url != null);
    assertEquals(5, pages);
    assertEquals(45, ids.size());
    assertEquals(45, new HashSet<>(ids).size());
    assertEquals(
        account.items("repository").stream()
            .map(Item::id)
            .collect(java.util.stream.Collectors.toSet()),
        Set.copyOf(ids));
    assertEquals("1000045", ids.get(0)); // the last seeded is the newest
    assertFalse(response.headers().firstValue("link").orElse("").contains("rel=\"next\""));
  }

  @Test
  void firstPageLinksNextAndLastAndDefaultsToThirtyPerPage() {
    account.seed(31);
    HttpResponse<String> response = call(api + "/user/repos?sort=updated");
    assertEquals(30, SimHttp.jsonArray(response).size());
    String link = response.headers().firstValue("link").orElseThrow();
    assertTrue(link.contains("page=2>; rel=\"next\""), link);
    assertTrue(link.contains("page=2>; rel=\"last\""), link);
    assertTrue(link.startsWith("<" + api + "/user/repos?sort=updated&page=2>"), link);
  }

  @Test
  void issuesListsIssuesAndPullRequestsAndMarksPullRequests() {
    account.put("issue", "11", "A bug");
    account.put("pull_request", "12", "A fix");
    account.put("repository", "13", "not-an-issue");
    JsonArray issues = SimHttp.jsonArray(call(api + "/issues?filter=all&state=all&per_page=100"));
    assertEquals(2, issues.size());
    JsonObject pull =
        issues.getJsonObject(0).getString("title").equals("A fix")
            ? issues.getJsonObject(0)
            : issues.getJsonObject(1);
    JsonObject issue =
        pull == issues.getJsonObject(0) ? issues.getJsonObject(1) : issues.getJsonObject(0);
    assertTrue(pull.containsKey("pull_request"));
    assertFalse(issue.containsKey("pull_request"));
    assertEquals(11, issue.getJsonNumber("id").longValue());
    assertTrue(issue.getInt("number") > 0);
    assertEquals("2025-03-01T10:00:00Z", issue.getString("updated_at"));
    assertEquals(account.items("issue").get(0).url(), issue.getString("html_url"));
  }

  @Test
  void sinceReturnsItemsUpdatedAtOrAfterIt() {
    account.put("issue", "1", "old");
    sim.clock().advance(Duration.ofMinutes(5));
    Instant cursor = sim.clock().now();
    account.put("issue", "2", "new");
    sim.clock().advance(Duration.ofMinutes(5));
    account.touch("issue", "1", "old, edited");
    JsonArray changed =
        SimHttp.jsonArray(call(api + "/issues?filter=all&state=all&sort=updated&since=" + cursor));
    assertEquals(List.of("old, edited", "new"), titles(changed));
    // Without sort, /issues orders by creation, newest first, as GitHub does.
    JsonArray byCreation =
        SimHttp.jsonArray(call(api + "/issues?filter=all&state=all&since=" + cursor));
    assertEquals(List.of("new", "old, edited"), titles(byCreation));
    JsonArray later =
        SimHttp.jsonArray(call(api + "/issues?filter=all&state=all&since=2025-03-01T10:10:01Z"));
    assertEquals(0, later.size());
  }

  @Test
  void badExpiredAndRevokedTokensAnswerBadCredentials() {
    Tokens expiring = account.issueTokens(Duration.ofHours(8), true);
    token = expiring.accessToken();
    assertEquals(200, call(api + "/user/repos").statusCode());
    sim.clock().advance(Duration.ofHours(8));
    assertBadCredentials(call(api + "/user/repos"));
    token = "ghu_unknown";
    assertBadCredentials(call(api + "/user/repos"));
    token = account.issueTokens(null, false).accessToken();
    account.revokeGrant();
    assertBadCredentials(call(api + "/user/repos"));
  }

  private static void assertBadCredentials(HttpResponse<String> response) {
    assertEquals(401, response.statusCode());
    assertEquals("Bad credentials", SimHttp.json(response).getString("message"));
    assertTrue(response.headers().firstValue("x-ratelimit-limit").isPresent());
  }

  @Test
  void everyResponseCarriesRateLimitHeaders() {
    HttpResponse<String> first = call(api + "/user/repos");
    HttpResponse<String> second = call(api + "/user/repos");
    assertEquals("5000", second.headers().firstValue("x-ratelimit-limit").orElseThrow());
    assertEquals("4998", second.headers().firstValue("x-ratelimit-remaining").orElseThrow());
    assertEquals("2", second.headers().firstValue("x-ratelimit-used").orElseThrow());
    assertEquals("core", first.headers().firstValue("x-ratelimit-resource").orElseThrow());
    assertEquals(
        String.valueOf(Instant.parse("2025-03-01T11:00:00Z").getEpochSecond()),
        second.headers().firstValue("x-ratelimit-reset").orElseThrow());
  }

  @Test
  void invalidSinceIsValidationFailed() {
    HttpResponse<String> response = call(api + "/issues?since=yesterday");
    assertEquals(422, response.statusCode());
    assertEquals("Validation Failed", SimHttp.json(response).getString("message"));
  }

  @Test
  void unknownPathIsNotFound() {
    assertEquals(404, call(api + "/user/starred").statusCode());
  }

  @Test
  void requestWithoutUserAgentIsForbidden() throws Exception {
    // java.net.http always sends a User-Agent, so this one is written by hand.
    try (Socket socket = new Socket("127.0.0.1", sim.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /github/user/repos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + token
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertTrue(in.readLine().startsWith("HTTP/1.1 403"));
    }
  }

  @Test
  void generatedIdsStayNumbersAndNonNumericIdsStayStrings() {
    account.put("repository", "r-abc", "named");
    JsonObject repo = SimHttp.jsonArray(call(api + "/user/repos")).getJsonObject(0);
    assertEquals("r-abc", repo.getString("id"));
    assertEquals("octo/named", repo.getString("full_name"));
    assertNull(repo.get("pull_request"));
  }

  private static List<String> titles(JsonArray array) {
    List<String> titles = new ArrayList<>();
    for (JsonObject object : array.getValuesAs(JsonObject.class)) {
      titles.add(object.getString("title"));
    }
    return titles;
  }
}
