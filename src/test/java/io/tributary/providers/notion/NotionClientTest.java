package io.tributary.providers.notion;

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

class NotionClientTest {
  ClientFixture f;
  NotionClient client;
  Account account;
  Tokens tokens;

  @BeforeEach
  void setUp() {
    f = new ClientFixture();
    client = new NotionClient(f.http, f.settings(Provider.NOTION), f.clock, "2022-06-28");
    account = f.sim.account("notion", "workspace-1");
    tokens = account.issueTokens(null, true);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  FakeSyncSession session() {
    return new FakeSyncSession(client, f.clock, tokens.accessToken(), tokens.refreshToken());
  }

  List<RecordedRequest> searches() {
    return f.sim.requests().stream().filter(r -> r.path().endsWith("/v1/search")).toList();
  }

  @Test
  void fullSyncPagesThroughSearchNewestFirstWithTheVersionHeader() {
    account.seed(130);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(130, s.ofKind("page").size());
    assertEquals(130, s.ofKind("database").size());
    List<RecordedRequest> calls = searches();
    assertEquals(3, calls.size(), "260 results at 100 a page");
    RecordedRequest first = calls.get(0);
    assertEquals("POST", first.method());
    assertEquals("2022-06-28", first.headers().get("notion-version").get(0));
    assertEquals("Bearer " + tokens.accessToken(), first.headers().get("authorization").get(0));
    assertTrue(first.body().contains("\"last_edited_time\"") && first.body().contains("\"descending\""), first.body());
    assertTrue(calls.get(1).body().contains("start_cursor"), calls.get(1).body());
    assertTrue(s.ofKind("page").stream().allMatch(r -> r.title() != null && !r.title().isEmpty()));
  }

  @Test
  void incrementalSyncStopsAtWhatTheCursorCovers() {
    account.seed(130);
    FakeSyncSession s = session();
    client.sync(s);
    String id = s.ofKind("page").get(5).externalId();
    f.sim.clearRequests();
    f.sim.clock().advance(Duration.ofMinutes(5));
    account.touch("page", id, "edited page");
    client.sync(s);
    assertEquals(1, searches().size(), "the first page already reaches the cursor");
    assertEquals("edited page", s.records.get("page/" + id).title());
  }

  @Test
  void rateLimitedWithRetryAfterWaitsThatLong() {
    account.seed(2);
    f.sim.faults("notion").rateLimitNext(1, 2);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(List.of(Duration.ofSeconds(2)), f.waits);
    assertEquals(2, s.ofKind("page").size());
  }

  @Test
  void unauthorizedRefreshesWithBasicAuthAndRotatesBothTokens() {
    account.seed(1);
    account.expireAccessTokens();
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(1, s.refreshes);
    assertNotEquals(tokens.refreshToken(), s.refreshToken());
    RecordedRequest refresh =
        f.sim.requests().stream().filter(r -> r.path().endsWith("/oauth/token")).findFirst().orElseThrow();
    assertTrue(refresh.headers().get("authorization").get(0).startsWith("Basic "));
    assertTrue(refresh.body().contains("\"grant_type\":\"refresh_token\""), refresh.body());
  }

  @Test
  void invalidGrantOnRefreshIsReauth() {
    account.revokeGrant();
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(session()));
    assertEquals(ProviderException.Kind.REAUTH, e.kind());
  }

  @Test
  void providerDownFailsTheSyncAfterBoundedRetries() {
    account.seed(1);
    f.sim.faults("notion").down(true);
    FakeSyncSession s = session();
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(s));
    assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
    assertEquals(4, s.calls);
    assertTrue(s.records.isEmpty());
  }
}
