package io.tributary.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.Deployments;
import io.tributary.testing.TestEnvironment;
import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The seed's trigger endpoint and the engine behind it, against the simulator, on PostgreSQL. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SyncIT {

  static final List<String> PROVIDERS = List.of("github", "notion", "slack", "google_calendar");
  static final int USERS = 4;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  @ArquillianResource URL deployed;
  Api admin;
  Api cron;
  ProviderSimulator sim;
  final Map<String, Long> ids = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    Api base = new Api(Deployments.loopback(deployed));
    admin = base.asAdmin();
    cron = base.asCron();
    sim = TestEnvironment.simulator();
    // Exact counts need a database with only this test's connections (IT classes run one by one).
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE synced_records, sync_cursors, execution_chunks, cron_job_executions, connections, app_users CASCADE");
      s.execute("UPDATE sync_job_locks SET execution_id = NULL");
    }
    for (int u = 0; u < USERS; u++) {
      for (String p : PROVIDERS) {
        String user = "sync-user-" + u;
        Account account = sim.account(p, user + "-" + p + "-" + System.nanoTime());
        account.seed(3);
        Tokens t = account.issueTokens(Duration.ofHours(1), true);
        Api.Reply r =
            admin.post(
                "/api/connections",
                "{\"userId\":\"" + user + "\",\"provider\":\"" + p + "\",\"accessToken\":\"" + t.accessToken()
                    + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
        assertEquals(201, r.status(), r.toString());
        ids.put(user + "/" + p, r.json().getJsonNumber("id").longValue());
      }
    }
  }

  @AfterEach
  void clearFaults() {
    PROVIDERS.forEach(p -> sim.faults(p).clear());
  }

  JsonObject trigger(String query) {
    Api.Reply r = cron.post("/api/cron/sync-integrations" + query, null);
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  Map<String, Object> row(long executionId) throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT status, users_processed, providers_synced, success_count, failure_count, job_name, trigger_type"
                    + " FROM cron_job_executions WHERE id = ?")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return Map.of(
            "status", rs.getString(1), "usersProcessed", rs.getInt(2), "providersSync", rs.getInt(3),
            "successCount", rs.getInt(4), "failureCount", rs.getInt(5), "jobName", rs.getString(6),
            "trigger", rs.getString(7));
      }
    }
  }

  Map<String, Integer> syncedByProvider(long executionId) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = TestEnvironment.database().connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT provider, COUNT(*) FROM connections WHERE last_run_execution = ? GROUP BY provider")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return out;
  }

  void assertResponseMatchesRow(JsonObject response) throws Exception {
    Map<String, Object> row = row(response.getJsonNumber("executionId").longValue());
    for (String k : List.of("usersProcessed", "providersSync", "successCount", "failureCount")) {
      assertEquals(row.get(k), response.getInt(k), k);
    }
    assertEquals(row.get("status"), response.getString("status"));
    assertEquals("manual", row.get("trigger"));
  }

  @Test
  void intervalsSyncTheSeedsProvidersAndTheCountsMatchTheDatabase() throws Exception {
    JsonObject fifteen = trigger("?interval=15min");
    assertEquals("Sync completed", fifteen.getString("message"));
    assertEquals(USERS, fifteen.getInt("providersSync"));
    assertEquals(USERS, fifteen.getInt("successCount"));
    assertEquals(USERS, fifteen.getInt("usersProcessed"));
    assertEquals(Map.of("github", USERS), syncedByProvider(fifteen.getJsonNumber("executionId").longValue()));
    assertResponseMatchesRow(fifteen);
    assertEquals("sync-integrations-15min", row(fifteen.getJsonNumber("executionId").longValue()).get("jobName"));

    JsonObject thirty = trigger("?interval=30min");
    assertEquals(3 * USERS, thirty.getInt("providersSync"));
    assertEquals(Map.of("notion", USERS, "slack", USERS, "google_calendar", USERS),
        syncedByProvider(thirty.getJsonNumber("executionId").longValue()));
    assertResponseMatchesRow(thirty);

    JsonObject all = trigger("");
    assertEquals(4 * USERS, all.getInt("providersSync"));
    assertEquals(4 * USERS, all.getInt("successCount"));
    assertEquals("success", all.getString("status"));
    assertResponseMatchesRow(all);

    // GET works as well (Vercel Cron calls with GET).
    Api.Reply viaGet = cron.get("/api/cron/sync-integrations?interval=15min");
    assertEquals(200, viaGet.status(), viaGet.toString());
  }

  @Test
  void aFailingProviderIsCountedExactlyAndTheOthersStillSync() throws Exception {
    sim.faults("notion").down(true);
    JsonObject r = trigger("?interval=30min");
    assertEquals(3 * USERS, r.getInt("providersSync"));
    assertEquals(USERS, r.getInt("failureCount"));
    assertEquals(2 * USERS, r.getInt("successCount"));
    assertEquals("partial", r.getString("status"));
    assertResponseMatchesRow(r);
    JsonObject execution = cron.get("/api/cron/executions/" + r.getJsonNumber("executionId")).json();
    JsonObject notion = execution.getJsonObject("providerBreakdown").getJsonObject("notion");
    assertEquals(USERS, notion.getInt("failures"));
    assertTrue(execution.getString("errorSummary").contains("notion"), execution.toString());
    long slack = ids.get("sync-user-0/slack");
    assertTrue(admin.all("/api/connections/" + slack + "/records").size() > 0, "the other providers' data is synced");

    sim.faults("notion").down(false);
    sim.faults("slack").down(true);
    sim.faults("google_calendar").down(true);
    sim.faults("notion").down(true);
    JsonObject everyOneFailed = trigger("?interval=30min");
    assertEquals("failure", everyOneFailed.getString("status"));
    assertEquals(3 * USERS, everyOneFailed.getInt("failureCount"));
  }

  @Test
  void theCronSecretAndItsPredecessorOpenTheTriggerAndNothingElseDoes() {
    Api anonymous = admin.anonymous();
    assertEquals(401, anonymous.post("/api/cron/sync-integrations?interval=15min", null).status());
    assertEquals(401, anonymous.withAuthorization("Bearer wrong").post("/api/cron/sync-integrations?interval=15min", null).status());
    assertEquals(401, anonymous.withAuthorization("Bearer " + TestEnvironment.CRON_SECRET + "x").post("/api/cron/sync-integrations?interval=15min", null).status());
    assertEquals(200, anonymous.withAuthorization("Bearer " + TestEnvironment.CRON_SECRET_PREVIOUS).post("/api/cron/sync-integrations?interval=15min", null).status());
    assertEquals(200, cron.post("/api/cron/sync-integrations?interval=15min", null).status());
    assertEquals(200, admin.post("/api/cron/sync-integrations?interval=15min", null).status());
    Api.Reply bad = cron.post("/api/cron/sync-integrations?interval=5min", null);
    assertEquals(400, bad.status());
    assertTrue(bad.body().contains("15min") && bad.body().contains("30min"), bad.body());
  }

  @Test
  void aSecondTriggerWhileTheRunIsGoingGets409WithTheRunningExecution() throws Exception {
    sim.faults("github").latency(Duration.ofMillis(700));
    CompletableFuture<Api.Reply> first = CompletableFuture.supplyAsync(() -> cron.post("/api/cron/sync-integrations?interval=15min", null));
    // Wait (observing the database, not the clock) until the first run is really going.
    for (int i = 0; i < 200 && runningCount() == 0; i++) {
      Thread.sleep(25);
    }
    assertEquals(1, runningCount(), "the first run is going");
    Api.Reply second = cron.post("/api/cron/sync-integrations?interval=15min", null);
    assertEquals(409, second.status(), second.toString());
    Api.Reply done = first.join();
    assertEquals(200, done.status(), done.toString());
    assertTrue(second.body().contains("execution " + done.json().getJsonNumber("executionId")), second.body());
    assertTrue(second.body().startsWith("{\"error\":\"run_in_progress\""), second.body());
  }

  @Test
  void aRepeatedIdempotencyKeyReturnsTheSameRun() throws Exception {
    JsonObject a = cron.post("/api/cron/sync-integrations?interval=15min", null, "Idempotency-Key", "vercel-exec-42").json();
    JsonObject b = cron.post("/api/cron/sync-integrations?interval=15min", null, "Idempotency-Key", "vercel-exec-42").json();
    assertEquals(a.getJsonNumber("executionId"), b.getJsonNumber("executionId"));
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cron_job_executions")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void respondAsyncAnswers202WithAUrlToPoll() throws Exception {
    sim.faults("github").latency(Duration.ofMillis(300));
    Api.Reply accepted = cron.post("/api/cron/sync-integrations?interval=15min", null, "Prefer", "respond-async");
    assertEquals(202, accepted.status(), accepted.toString());
    String url = accepted.json().getString("statusUrl");
    assertTrue(url.endsWith("/api/cron/executions/" + accepted.json().getJsonNumber("executionId")), url);
    JsonObject execution = null;
    for (int i = 0; i < 200; i++) {
      execution = cron.get(java.net.URI.create(url).getPath()).json();
      if (!"running".equals(execution.getString("status"))) {
        break;
      }
      Thread.sleep(100); // polling a real server as a client would
    }
    assertEquals("success", execution.getString("status"));
    assertEquals(USERS, execution.getInt("successCount"));
  }

  static int runningCount() throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cron_job_executions WHERE status = 'running'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  List<Long> all(String provider) {
    List<Long> out = new ArrayList<>();
    ids.forEach((k, v) -> {
      if (k.endsWith("/" + provider)) {
        out.add(v);
      }
    });
    return out;
  }
}
