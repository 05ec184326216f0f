package io.tributary.providers.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.ClientFixture;
import io.tributary.providers.FakeSyncSession;
import io.tributary.providers.Provider;
import io.tributary.providers.ProviderException;
import io.tributary.simulator.Account;
import io.tributary.simulator.RecordedRequest;
import io.tributary.simulator.Tokens;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GithubClientTest {

  ClientFixture f;
  GithubClient client;
  Account account;
  Tokens tokens;

  @BeforeEach
  void setUp() {
    f = new ClientFixture();
    client = new GithubClient(f.http, f.settings(Provider.GITHUB), f.clock);
    account = f.sim.account("github", "octo");
    tokens = account.issueTokens(Duration.ofHours(8), true);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  FakeSyncSession session() {
    return new FakeSyncSession(client, f.clock, tokens.accessToken(), tokens.refreshToken());
  }

  List<RecordedRequest> apiRequests() {
    return f.sim.requests().stream().filter(r -> r.provider().equals("github") && !r.path().contains("oauth")).toList();
  }

  @Test
  void fullSyncFollowsEveryPageWithGithubsHeaders() {
    account.seed(120);
    FakeSyncSession s = session();
    client.sync(s);

    assertEquals(120, s.ofKind("repository").size());
    assertEquals(120, s.ofKind("issue").size());
    assertEquals(120, s.ofKind("pull_request").size());
    List<RecordedRequest> calls = apiRequests();
    // 120 repos: 2 pages of 100; 240 issues and pull requests: 3 pages.
    assertEquals(2, calls.stream().filter(r -> r.path().endsWith("/user/repos")).count());
    assertEquals(3, calls.stream().filter(r -> r.path().endsWith("/issues")).count());
    RecordedRequest first = calls.get(0);
    assertEquals("Bearer " + tokens.accessToken(), first.headers().get("authorization").get(0));
    assertEquals("application/vnd.github+json", first.headers().get("accept").get(0));
    assertEquals("2022-11-28", first.headers().get("x-github-api-version").get(0));
    assertTrue(first.headers().containsKey("user-agent"));
    assertEquals(List.of("100"), first.query().get("per_page"));
    assertEquals(List.of("updated"), first.query().get("sort"));
    RecordedRequest issues = calls.stream().filter(r -> r.path().endsWith("/issues")).findFirst().orElseThrow();
    assertEquals(List.of("all"), issues.query().get("filter"));
    assertEquals(List.of("all"), issues.query().get("state"));
    assertTrue(s.cursors.containsKey(GithubClient.REPOS_CURSOR));
    assertTrue(s.cursors.containsKey(GithubClient.ISSUES_CURSOR));
    assertEquals(5, s.calls);
  }

  @Test
  void incrementalSyncSendsSinceAndFetchesOnlyWhatChanged() {
    account.seed(120);
    FakeSyncSession s = session();
    client.sync(s);
    String issueId = s.ofKind("issue").get(0).externalId();
    f.sim.clearRequests();
    f.sim.clock().advance(Duration.ofMinutes(10));
    account.touch("issue", issueId, "renamed issue");

    client.sync(s);

    List<RecordedRequest> calls = apiRequests();
    assertEquals(2, calls.size(), "one page per stream");
    assertTrue(calls.stream().allMatch(r -> r.query().containsKey("since")), calls.toString());
    assertEquals("renamed issue", s.records.get("issue/" + issueId).title());
    assertEquals(120, s.ofKind("issue").size());
  }

  @Test
  void waitsOutAShortRateLimitThenContinues() {
    account.seed(3);
    f.sim.faults("github").rateLimitNext(1, 5);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(3, s.ofKind("repository").size());
    assertEquals(1, f.waits.size());
    long waited = f.waits.get(0).toSeconds();
    assertTrue(waited >= 4 && waited <= 7, "waited " + waited + " s for a 5 s reset");
  }

  @Test
  void defersWhenTheRateLimitResetIsTooFarAndKeepsTheCursor() {
    account.seed(3);
    FakeSyncSession s = session();
    client.sync(s);
    String cursor = s.cursors.get(GithubClient.REPOS_CURSOR);
    f.sim.faults("github").rateLimitNext(1, 600);
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(s));
    assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
    assertTrue(e.retryAt().isAfter(f.clock.instant().plusSeconds(500)));
    assertEquals(cursor, s.cursors.get(GithubClient.REPOS_CURSOR));
    assertTrue(f.waits.isEmpty());
  }

  @Test
  void secondaryRateLimitHonoursRetryAfter() {
    account.seed(2);
    f.sim.faults("github").secondaryRateLimitNext(1, 3);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(List.of(Duration.ofSeconds(3)), f.waits);
  }

  @Test
  void expiredTokenIsRefreshedOnceWithRotationThenTheCallIsRetried() {
    account.seed(2);
    account.expireAccessTokens();
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(1, s.refreshes);
    assertNotEquals(tokens.accessToken(), s.accessToken());
    assertNotEquals(tokens.refreshToken(), s.refreshToken(), "GitHub rotates refresh tokens");
    assertEquals(2, s.ofKind("repository").size());
    RecordedRequest refresh =
        f.sim.requests().stream().filter(r -> r.path().contains("access_token")).findFirst().orElseThrow();
    assertTrue(refresh.body().contains("grant_type=refresh_token"));
    assertTrue(refresh.body().contains("client_id=client-github"));
    // The used refresh token is dead now: spending it again is a revoked grant.
    ProviderException e = assertThrows(ProviderException.class, () -> client.refresh(tokens.refreshToken()));
    assertEquals(ProviderException.Kind.REAUTH, e.kind());
  }

  @Test
  void revokedGrantMeansReauthWithoutRetries() {
    account.seed(2);
    account.revokeGrant();
    FakeSyncSession s = session();
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(s));
    assertEquals(ProviderException.Kind.REAUTH, e.kind());
    assertEquals(1, s.refreshes);
    assertTrue(s.records.isEmpty());
    assertTrue(f.waits.isEmpty(), "no backoff for a revoked grant");
  }

  @Test
  void unauthorizedWithoutRefreshTokenIsReauth() {
    account.revokeGrant();
    FakeSyncSession s = new FakeSyncSession(client, f.clock, tokens.accessToken(), null);
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(s));
    assertEquals(ProviderException.Kind.REAUTH, e.kind());
    assertEquals(0, s.refreshes);
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() {
    account.seed(2);
    f.sim.faults("github").failNext(2, 502);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(2, s.ofKind("repository").size());
    assertEquals(2, f.waits.size());
  }

  @Test
  void malformedJsonIsRetriedAndNeverHalfStored() {
    account.seed(2);
    f.sim.faults("github").malformedNext(10);
    FakeSyncSession s = session();
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(s));
    assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    assertTrue(s.records.isEmpty());
    assertTrue(s.cursors.isEmpty());
    assertEquals(4, s.calls, "first try + 3 retries");
  }
}
