package io.tributary.providers.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class GoogleCalendarClientTest {
  ClientFixture f;
  GoogleCalendarClient client;
  Account account;
  Tokens tokens;

  @BeforeEach
  void setUp() {
    f = new ClientFixture();
    client = new GoogleCalendarClient(f.http, f.settings(Provider.GOOGLE_CALENDAR), f.clock);
    account = f.sim.account("google_calendar", "someone@example.com");
    tokens = account.issueTokens(Duration.ofMinutes(60), true);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  FakeSyncSession session() {
    return new FakeSyncSession(client, f.clock, tokens.accessToken(), tokens.refreshToken());
  }

  List<RecordedRequest> events() {
    return f.sim.requests().stream().filter(r -> r.path().endsWith("/events")).toList();
  }

  @Test
  void fullSyncFollowsPageTokensAndKeepsTheSyncTokenOfTheLastPage() {
    account.seed(600);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(600, s.ofKind("event").size());
    assertEquals(3, events().size(), "600 events at 250 a page");
    RecordedRequest first = events().get(0);
    assertEquals(List.of("true"), first.query().get("singleEvents"));
    assertEquals(List.of("true"), first.query().get("showDeleted"));
    assertFalse(first.query().containsKey("syncToken"));
    assertTrue(events().get(1).query().containsKey("pageToken"));
    assertTrue(s.cursors.containsKey(GoogleCalendarClient.CURSOR));
  }

  @Test
  void incrementalSyncSendsTheSyncTokenAndRemovesCancelledEvents() {
    account.seed(5);
    FakeSyncSession s = session();
    client.sync(s);
    String gone = account.items("event").get(0).id();
    String changed = account.items("event").get(1).id();
    f.sim.clearRequests();
    f.sim.clock().advance(Duration.ofMinutes(1));
    account.delete("event", gone);
    account.touch("event", changed, "moved meeting");
    client.sync(s);
    RecordedRequest call = events().get(0);
    assertTrue(call.query().containsKey("syncToken"));
    assertFalse(call.query().containsKey("timeMin"));
    assertEquals(4, s.ofKind("event").size());
    assertFalse(s.records.containsKey("event/" + gone));
    assertEquals("moved meeting", s.records.get("event/" + changed).title());
  }

  @Test
  void expiredSyncTokenTriggersAFullSyncThatDropsVanishedEvents() {
    account.seed(5);
    FakeSyncSession s = session();
    client.sync(s);
    String vanished = account.items("event").get(0).id();
    account.delete("event", vanished);
    f.sim.faults("google_calendar").syncTokenExpired(true);
    client.sync(s);
    f.sim.faults("google_calendar").syncTokenExpired(false);
    assertEquals(4, s.ofKind("event").size());
    assertFalse(s.records.containsKey("event/" + vanished));
    assertTrue(s.cursors.containsKey(GoogleCalendarClient.CURSOR));
  }

  @Test
  void quotaErrorsBackOffExponentially() {
    account.seed(2);
    f.sim.faults("google_calendar").rateLimitNext(2, 0);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(2, s.ofKind("event").size());
    assertEquals(2, f.waits.size());
  }

  @Test
  void refreshKeepsTheRefreshTokenAndRevocationIsReauth() {
    account.seed(1);
    account.expireAccessTokens();
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(1, s.refreshes);
    assertEquals(tokens.refreshToken(), s.refreshToken(), "Google does not rotate refresh tokens");
    account.revokeGrant();
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(s));
    assertEquals(ProviderException.Kind.REAUTH, e.kind());
  }
}
