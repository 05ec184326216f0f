package io.tributary.providers.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class SlackClientTest {
  ClientFixture f;
  SlackClient client;
  Account account;
  Tokens tokens;

  @BeforeEach
  void setUp() {
    f = new ClientFixture();
    client = new SlackClient(f.http, f.settings(Provider.SLACK), f.clock, 50);
    account = f.sim.account("slack", "team-1");
    tokens = account.issueTokens(Duration.ofHours(12), true);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  FakeSyncSession session() {
    return new FakeSyncSession(client, f.clock, tokens.accessToken(), tokens.refreshToken());
  }

  List<RecordedRequest> calls(String method) {
    return f.sim.requests().stream().filter(r -> r.path().endsWith("/" + method)).toList();
  }

  @Test
  void syncsChannelsAndTheHistoryOfChannelsTheBotIsIn() {
    account.seed(3);
    String notMember = account.items("channel").get(0).id();
    account.setMember(notMember, false);
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(3, s.ofKind("channel").size());
    assertEquals(6, s.ofKind("message").size(), "3 messages in each of the 2 member channels");
    assertEquals(2, calls("conversations.history").size());
    RecordedRequest list = calls("conversations.list").get(0);
    assertEquals(List.of("public_channel,private_channel"), list.query().get("types"));
    assertEquals(List.of("true"), list.query().get("exclude_archived"));
    assertTrue(s.cursors.keySet().stream().anyMatch(k -> k.startsWith("history.C") || k.startsWith("history.")));
  }

  @Test
  void incrementalHistoryUsesOldestFromTheNewestSeenTs() {
    account.seed(1);
    FakeSyncSession s = session();
    client.sync(s);
    String channel = account.items("channel").get(0).id();
    String cursor = s.cursors.get(SlackClient.historyCursor(channel));
    f.sim.clearRequests();
    account.putMessage(channel, "9999999999.000100", "a new message");
    client.sync(s);
    RecordedRequest history = calls("conversations.history").get(0);
    assertEquals(List.of(cursor), history.query().get("oldest"));
    assertEquals(2, s.ofKind("message").size());
    assertEquals("9999999999.000100", s.cursors.get(SlackClient.historyCursor(channel)));
  }

  @Test
  void errorsInsideHttp200AreReadFromTheOkField() {
    account.seed(1);
    account.revokeGrant();
    ProviderException e = assertThrows(ProviderException.class, () -> client.sync(session()));
    assertEquals(ProviderException.Kind.REAUTH, e.kind());
  }

  @Test
  void rateLimitedHistoryDegradesInsteadOfFailing() {
    account.seed(2);
    FakeSyncSession s = session();
    f.sim.faults("slack").slackHistoryLimits(true);
    client.sync(s);
    // The list succeeds; history hits the 1-per-minute limit after the first call and the client
    // stops there, keeping cursors, instead of failing the connection.
    assertEquals(2, s.ofKind("channel").size());
    assertTrue(s.cursors.containsKey(SlackClient.ROTATION_CURSOR));
  }

  @Test
  void expiredRotatingTokenIsRefreshed() {
    account.seed(1);
    account.expireAccessTokens();
    FakeSyncSession s = session();
    client.sync(s);
    assertEquals(1, s.refreshes);
    assertEquals(1, s.ofKind("channel").size());
  }
}
