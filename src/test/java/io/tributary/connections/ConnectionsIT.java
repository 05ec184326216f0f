package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.Deployments;
import io.tributary.testing.TestEnvironment;
import io.tributary.testing.TestDatabase;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connections end to end: the WAR in Payara Micro on PostgreSQL, syncing from the provider
 * simulator through the real clients.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConnectionsIT {

  static final Map<String, List<String>> KINDS =
      Map.of(
          "github", List.of("repository", "issue", "pull_request"),
          "notion", List.of("page", "database"),
          "slack", List.of("channel", "message"),
          "google_calendar", List.of("event"));

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  @ArquillianResource URL deployed;
  Api admin;
  ProviderSimulator sim;

  @BeforeEach
  void setUp() {
    admin = new Api(Deployments.loopback(deployed)).asAdmin();
    sim = TestEnvironment.simulator();
  }

  record Registered(long id, String provider, Account account, Tokens tokens) {}

  Registered register(String user, String provider, int seed) {
    Account account = sim.account(provider, user + "-" + provider);
    account.seed(seed);
    Tokens tokens = account.issueTokens(Duration.ofHours(1), true);
    String body =
        "{\"userId\":\"" + user + "\",\"provider\":\"" + provider + "\",\"accessToken\":\"" + tokens.accessToken()
            + "\",\"refreshToken\":\"" + tokens.refreshToken() + "\",\"scopes\":[\"read\"]}";
    Api.Reply r = admin.post("/api/connections", body);
    assertEquals(201, r.status(), r.toString());
    assertFalse(r.body().contains(tokens.accessToken()), "no token in API output");
    long id = r.json().getJsonNumber("id").longValue();
    assertEquals(Deployments.loopback(deployed).resolve("api/connections/" + id).toString(), r.header("location"),
        "the new connection's URL, on the address it was asked on");
    return new Registered(id, provider, account, tokens);
  }

  JsonObject sync(long id) {
    Api.Reply r = admin.post("/api/connections/" + id + "/sync", null);
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  Map<String, String> stored(long id, String kind) {
    return admin.all("/api/connections/" + id + "/records?kind=" + kind + "&limit=7").stream()
        .collect(Collectors.toMap(o -> o.getString("externalId"), o -> o.getString("title", "")));
  }

  Map<String, String> simulated(Account account, String kind) {
    return account.items(kind).stream()
        .collect(Collectors.toMap(i -> externalId(account, i), i -> i.title() == null ? "" : title(account, i)));
  }

  static String externalId(Account account, io.tributary.simulator.Item i) {
    return i.kind().equals("message") ? i.containerId() + ":" + i.id() : i.id();
  }

  /** How Tributary titles a provider object: Slack channels as #name, GitHub repos by full name. */
  static String title(Account account, io.tributary.simulator.Item i) {
    return switch (i.kind()) {
      case "channel" -> "#" + i.title();
      case "repository" -> account.id() + "/" + i.title();
      default -> i.title();
    };
  }

  @Test
  void syncsTwoUsersAcrossAllFourProvidersExactlyAndThenOnlyWhatChanged() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Registered> all = new ArrayList<>();
    for (String user : List.of("alice-" + run, "bob-" + run)) {
      for (String provider : KINDS.keySet()) {
        all.add(register(user, provider, 12));
      }
    }
    for (Registered c : all) {
      JsonObject outcome = sync(c.id());
      assertEquals("success", outcome.getString("status"), outcome.toString());
    }
    for (Registered c : all) {
      for (String kind : KINDS.get(c.provider())) {
        assertEquals(simulated(c.account(), kind), stored(c.id(), kind), c.provider() + " " + kind);
      }
    }

    // Change one item per provider, sync again: only the changes travel.
    sim.clock().advance(Duration.ofMinutes(30));
    Map<String, Long> before = new HashMap<>();
    for (String p : KINDS.keySet()) {
      before.put(p, sim.requestCount(p));
    }
    Registered gh = all.get(0);
    List<Registered> alices = all.subList(0, 4);
    Map<Long, Integer> changed = new HashMap<>();
    for (Registered c : alices) {
      String kind = KINDS.get(c.provider()).get(0);
      String id = c.account().items(kind).get(0).id();
      c.account().touch(kind, id, "changed " + run);
    }
    for (Registered c : alices) {
      JsonObject outcome = sync(c.id());
      changed.put(c.id(), outcome.getInt("recordsUpdated") + outcome.getInt("recordsAdded"));
      for (String kind : KINDS.get(c.provider())) {
        assertEquals(simulated(c.account(), kind), stored(c.id(), kind), "after change: " + c.provider() + " " + kind);
      }
    }
    Map<String, Long> calls = new HashMap<>();
    for (String p : KINDS.keySet()) {
      calls.put(p, sim.requestCount(p) - before.get(p));
    }
    System.out.println("Incremental re-sync: provider calls " + calls + ", records changed " + changed);
    assertEquals(2, calls.get("github"), "one page of repos since the cursor, one of issues");
    assertEquals(1, calls.get("notion"), "one search page reaches the cursor");
    assertEquals(1, calls.get("google_calendar"), "one page with the sync token");
    assertTrue(calls.get("slack") <= 1 + 12, "channel list + one history call per channel");
    changed.values().forEach(n -> assertTrue(n >= 1 && n <= 2, "only the changed item: " + changed));
    assertNotNull(gh);

    // A dump of the database holds none of the tokens in plain text.
    String dump = pgDump(TestEnvironment.database());
    assertTrue(dump.contains("cron_job_executions"), "the dump is real");
    for (Registered c : all) {
      assertFalse(dump.contains(c.tokens().accessToken()), "access token in dump");
      assertFalse(dump.contains(c.tokens().refreshToken()), "refresh token in dump");
    }
  }

  static String pgDump(TestDatabase db) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "pg_dump", "-h", db.host(), "-p", Integer.toString(db.port()), "-U", db.user(), db.name())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void revokedGrantTurnsTheConnectionToNeedsReauth() {
    String user = "carol-" + UUID.randomUUID().toString().substring(0, 8);
    Registered c = register(user, "notion", 2);
    c.account().revokeGrant();
    JsonObject outcome = sync(c.id());
    assertEquals("needs_reauth", outcome.getString("status"));
    JsonObject view = admin.get("/api/connections/" + c.id()).json();
    assertEquals("needs_reauth", view.getString("status"));
    assertTrue(view.getString("lastError").contains("invalid_grant"), view.toString());
    assertEquals(409, admin.post("/api/connections/" + c.id() + "/sync", null).status(), "not synced until re-authorised");
    List<JsonObject> listed = admin.all("/api/connections?userId=" + user + "&status=needs_reauth");
    assertEquals(1, listed.size());
  }

  @Test
  void deleteDisconnectsAndPurgesRecords() throws Exception {
    Registered c = register("dave-" + UUID.randomUUID().toString().substring(0, 8), "github", 3);
    sync(c.id());
    assertEquals(204, admin.delete("/api/connections/" + c.id()).status());
    assertEquals(404, admin.get("/api/connections/" + c.id()).status());
    assertEquals(404, admin.get("/api/connections/" + c.id() + "/records").status());
    try (var conn = TestEnvironment.database().connect();
        var st = conn.prepareStatement("SELECT COUNT(*) FROM synced_records WHERE connection_id = ?")) {
      st.setLong(1, c.id());
      try (var rs = st.executeQuery()) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
    }
  }

  @Test
  void oauthConnectFlowStoresTheConnectionAndRejectsReplayAndForgery() {
    String user = "erin-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Reply connect = admin.get("/api/integrations/github/connect?userId=" + user);
    assertEquals(303, connect.status(), connect.toString());
    URI authorize = URI.create(connect.header("location"));
    assertTrue(authorize.toString().startsWith(sim.configProperties().get("github.authorize.url")), authorize.toString());
    // The user consents at the provider, which redirects the browser to our callback.
    Api provider = new Api(URI.create("http://127.0.0.1:" + sim.port() + "/"));
    Api.Reply consent = provider.get(authorize.getRawPath() + "?" + authorize.getRawQuery() + "&login=" + user + "-gh");
    assertEquals(302, consent.status(), consent.toString());
    URI callback = URI.create(consent.header("location"));
    assertEquals("/api/integrations/github/callback", callback.getPath());
    Api browser = admin.anonymous();
    Api.Reply done = browser.get(callback.getRawPath() + "?" + callback.getRawQuery());
    assertEquals(200, done.status(), done.toString());
    assertEquals(user, done.json().getJsonObject("connection").getString("userId"));

    Api.Reply replay = browser.get(callback.getRawPath() + "?" + callback.getRawQuery());
    assertEquals(400, replay.status(), "a state is single-use");
    String forged = callback.getRawQuery().replaceAll("state=[^&]+", "state=eyJmb3JnZWQiOnRydWV9.AAAA");
    assertEquals(400, browser.get(callback.getRawPath() + "?" + forged).status());
    assertEquals(400, browser.get("/api/integrations/notion/callback?" + callback.getRawQuery()).status(), "state of another provider");
  }

  @Test
  void badInputIsAlwaysA4xxJsonAnswerAndChangesNothing() throws Exception {
    long before = count("connections");
    String huge = "x".repeat(1_100_000);
    List<Object[]> cases =
        List.of(
            new Object[] {"POST", "/api/connections", "application/json", "{\"userId\":\"u\",\"provider\":\"gitlab\",\"accessToken\":\"t\"}", 400},
            new Object[] {"POST", "/api/connections", "application/json", "{\"provider\":\"github\",\"accessToken\":\"t\"}", 400},
            new Object[] {"POST", "/api/connections", "application/json", "{\"userId\":\"u\",\"provider\":\"github\"}", 400},
            new Object[] {"POST", "/api/connections", "application/json", "{\"userId\":5,\"provider\":\"github\",\"accessToken\":\"t\"}", 400},
            new Object[] {"POST", "/api/connections", "application/json", "{\"userId\":\"u\",\"provider\":\"github\",\"accessToken\":\"t\",\"admin\":true}", 400},
            new Object[] {"POST", "/api/connections", "application/json", "{\"userId\":\"u\",\"provider\":\"github\",\"accessToken\":\"t\",\"expiresAt\":\"tomorrow\"}", 400},
            new Object[] {"POST", "/api/connections", "application/json", "{\"userId\":\"u\"", 400},
            new Object[] {"POST", "/api/connections", "application/json", "[1,2]", 400},
            new Object[] {"POST", "/api/connections", "application/json", "", 400},
            new Object[] {"POST", "/api/connections", "text/plain", "hello", 415},
            new Object[] {"POST", "/api/connections", "application/json", "{\"userId\":\"" + huge + "\"}", 413},
            new Object[] {"GET", "/api/connections?provider=gitlab", null, null, 400},
            new Object[] {"GET", "/api/connections?status=sleeping", null, null, 400},
            new Object[] {"GET", "/api/connections?limit=0", null, null, 400},
            new Object[] {"GET", "/api/connections?limit=100000", null, null, 400},
            new Object[] {"GET", "/api/connections?limit=-5", null, null, 400},
            new Object[] {"GET", "/api/connections?cursor=not-a-cursor", null, null, 400},
            new Object[] {"GET", "/api/connections/abc", null, null, 400},
            new Object[] {"GET", "/api/connections/-1", null, null, 400},
            new Object[] {"GET", "/api/connections/99999999999999999999", null, null, 400},
            new Object[] {"GET", "/api/connections/999999", null, null, 404},
            new Object[] {"GET", "/api/connections/1%27%20OR%201=1/records", null, null, 400},
            // Encoded slashes are refused by the container before the application (404, JSON via web.xml).
            new Object[] {"GET", "/api/connections/..%2F..%2Fetc%2Fpasswd/records", null, null, 404},
            new Object[] {"GET", "/api/connections/1/records?kind=secrets", null, null, 400},
            new Object[] {"GET", "/api/connections/1/records?limit=5000", null, null, 400},
            new Object[] {"POST", "/api/connections/abc/sync", null, null, 400},
            new Object[] {"DELETE", "/api/connections/abc", null, null, 400},
            new Object[] {"GET", "/api/integrations/gitlab/connect?userId=u", null, null, 400},
            new Object[] {"GET", "/api/integrations/github/connect", null, null, 400},
            new Object[] {"GET", "/api/integrations/github/callback?code=x", null, null, 400},
            new Object[] {"GET", "/api/integrations/github/callback?code=x&state=%27%3B%20DROP%20TABLE%20connections", null, null, 400});
    int tried = 0;
    for (Object[] c : cases) {
      Api.Reply r = admin.send((String) c[0], (String) c[1], (String) c[2], (String) c[3]);
      String what = c[0] + " " + c[1];
      assertEquals((int) c[4], r.status(), what + " → " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
      assertTrue(r.body().startsWith("{\"error\":"), what + " answered JSON: " + r.body());
      assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), what + " leaked a stack trace");
      tried++;
    }
    assertEquals(before, count("connections"), "bad input changed nothing");
    System.out.println("Bad-input cases tried: " + tried + ", 5xx: 0");
  }

  static long count(String table) throws Exception {
    try (var c = TestEnvironment.database().connect();
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Set<String> ids(List<JsonObject> items) {
    return items.stream().map(o -> o.getString("externalId")).collect(Collectors.toSet());
  }
}
