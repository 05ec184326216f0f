package io.tributary.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitoring endpoints in the deployed WAR on Payara Micro and PostgreSQL, black box: who may
 * call them, a real run showing up in them, alerts opening and resolving after real runs (through
 * {@code RunFinished}), the cleanup end to end, and Payara's /metrics, /openapi and /health.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MonitoringIT {

  static final String FIFTEEN = "sync-integrations-15min";
  static final int USERS = 4;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  @ArquillianResource URL deployed;
  Api admin;
  Api cron;
  Api anonymous;
  ProviderSimulator sim;

  @BeforeEach
  void setUp() throws Exception {
    Api base = new Api(Deployments.loopback(deployed));
    admin = base.asAdmin();
    cron = base.asCron();
    anonymous = base.anonymous();
    sim = TestEnvironment.simulator();
    // DELETE, not TRUNCATE: row locks only, so this never deadlocks with the timers' reads.
    sql(
        "DELETE FROM monitoring_notifications", "DELETE FROM monitoring_alerts", "DELETE FROM execution_provider_figures",
        "DELETE FROM cron_job_executions", "DELETE FROM connections", "DELETE FROM app_users",
        "UPDATE sync_job_locks SET execution_id = NULL");
    for (int u = 0; u < USERS; u++) {
      Account account = sim.account("github", "monitoring-user-" + u + "-" + System.nanoTime());
      account.seed(2);
      Tokens t = account.issueTokens(Duration.ofHours(1), true);
      Api.Reply r =
          admin.post(
              "/api/connections",
              "{\"userId\":\"monitoring-user-" + u + "\",\"provider\":\"github\",\"accessToken\":\"" + t.accessToken()
                  + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
      assertEquals(201, r.status(), r.toString());
    }
  }

  @AfterEach
  void clearFaults() {
    sim.faults("github").clear();
  }

  static void sql(String... statements) throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement()) {
      for (String q : statements) {
        s.executeUpdate(q);
      }
    }
  }

  long trigger15() {
    Api.Reply r = cron.post("/api/cron/sync-integrations?interval=15min", null);
    assertEquals(200, r.status(), r.toString());
    return r.json().getJsonNumber("executionId").longValue();
  }

  JsonObject monitoring() {
    Api.Reply r = cron.get("/api/cron/monitoring");
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  /** Polls the server until the monitoring JSON satisfies {@code done} (after-run work is asynchronous). */
  JsonObject awaitMonitoring(Predicate<JsonObject> done, String what) throws InterruptedException {
    JsonObject last = null;
    for (int i = 0; i < 150; i++) {
      last = monitoring();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100); // waiting for the server's background work, not for time to pass in it
    }
    throw new AssertionError("Timed out waiting for " + what + ": " + last);
  }

  static Set<String> alertKeys(JsonObject m) {
    return m.getJsonArray("alerts").getValuesAs(JsonObject.class).stream()
        .map(a -> a.getString("type") + ":" + (a.containsKey("jobName") ? a.getString("jobName") : a.getString("provider", a.getString("channel", "?"))))
        .collect(Collectors.toSet());
  }

  static JsonObject stats(JsonObject m, String job) {
    return m.getJsonArray("stats").getValuesAs(JsonObject.class).stream().filter(s -> s.getString("jobName").equals(job)).findFirst().orElseThrow();
  }

  @Test
  void adminsAndTheSchedulerMayReadAndCleanUpNobodyElse() {
    Api.Reply asAdmin = admin.get("/api/cron/monitoring");
    assertEquals(200, asAdmin.status(), asAdmin.toString());
    assertEquals(Set.of("stats", "alerts", "recentExecutions", "providers", "timeRange"), asAdmin.json().keySet());
    assertEquals(200, cron.get("/api/cron/monitoring?timeRange=48").status());
    for (Api caller :
        List.of(
            anonymous,
            anonymous.withAuthorization("Bearer wrong-secret"),
            anonymous.withAuthorization(Api.basic(TestEnvironment.ADMIN_USERNAME, "wrong-password")))) {
      Api.Reply get = caller.get("/api/cron/monitoring");
      assertEquals(401, get.status(), get.toString());
      assertTrue(get.body().startsWith("{\"error\":"), get.body());
      Api.Reply post = caller.post("/api/cron/monitoring/cleanup", "{\"retentionDays\":30}");
      assertEquals(401, post.status(), "the seed's cleanup had no auth: closed here");
    }
  }

  @Test
  void aRunShowsUpInRecentExecutionsStatsAndProviderFigures() throws Exception {
    long id = trigger15();
    JsonObject m =
        awaitMonitoring(
            j -> j.getJsonArray("providers").getValuesAs(JsonObject.class).stream()
                .anyMatch(
                    p -> p.getString("provider").equals("github")
                        && p.getInt("syncs") == USERS
                        // connection figures are a snapshot refreshed after each run's evaluation
                        && !p.getJsonObject("freshness").isNull("p95Seconds")),
            "the run's provider figures");
    JsonObject newest = m.getJsonObject("recentExecutions").getJsonArray(FIFTEEN).getJsonObject(0);
    assertEquals(id, newest.getJsonNumber("id").longValue());
    assertEquals("success", newest.getString("status"));
    assertEquals(USERS, newest.getInt("successCount"));
    JsonObject s = stats(m, FIFTEEN);
    assertEquals(1, s.getInt("totalExecutions"));
    assertEquals(1, s.getInt("successCount"));
    assertEquals(0, s.getInt("failureCount"));
    assertEquals(1.0, s.getJsonNumber("successRate").doubleValue());
    assertEquals("success", s.getString("lastStatus"));
    JsonObject github =
        m.getJsonArray("providers").getValuesAs(JsonObject.class).stream().filter(p -> p.getString("provider").equals("github")).findFirst().orElseThrow();
    assertEquals(USERS, github.getJsonObject("connections").getInt("active"));
    assertTrue(github.getJsonObject("freshness").getInt("p95Seconds") < 600, github.toString());
    assertEquals(24, m.getJsonObject("timeRange").getInt("hours"));
  }

  @Test
  void failingRunsOpenAlertsAndARecoveringRunResolvesThem() throws Exception {
    sim.faults("github").down(true);
    for (int i = 0; i < 3; i++) {
      trigger15();
      // Failing connections back off across runs; this test wants each run to retry them.
      sql("UPDATE connections SET next_attempt_at = NULL");
    }
    JsonObject m =
        awaitMonitoring(
            j -> alertKeys(j).containsAll(Set.of("consecutive_failures:" + FIFTEEN, "provider_incident:github")),
            "consecutive_failures and provider_incident");
    assertEquals(3, stats(m, FIFTEEN).getInt("recentFailures"));
    assertEquals(3, stats(m, FIFTEEN).getInt("failureCount"));
    JsonObject incident =
        m.getJsonArray("alerts").getValuesAs(JsonObject.class).stream().filter(a -> a.getString("type").equals("provider_incident")).findFirst().orElseThrow();
    assertEquals("critical", incident.getString("severity"));
    assertEquals(USERS, incident.getInt("observedValue"), "one alert for the provider, counting its connections");
    assertEquals(1, alertKeys(m).stream().filter(k -> k.startsWith("provider_incident")).count());

    sim.faults("github").down(false);
    trigger15();
    m = awaitMonitoring(j -> j.getJsonArray("alerts").isEmpty(), "the alerts to resolve");
    assertEquals(0, stats(m, FIFTEEN).getInt("recentFailures"));
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM monitoring_alerts WHERE status = 'resolved'")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  void cleanupDeletesOldExecutionsEndToEnd() throws Exception {
    // The server's own daily cleanup (first monitoring tick of a UTC day) would race this test for
    // the rows below: mark it as done today and tomorrow, as another instance would have.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    sql(
        "INSERT INTO monitoring_daily_tasks (task_name, run_day, instance_id, started_at) VALUES"
            + " ('log-cleanup', DATE '" + today + "', 'it', CURRENT_TIMESTAMP),"
            + " ('log-cleanup', DATE '" + today.plusDays(1) + "', 'it', CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING");
    awaitNoCleanupInProgress();
    Instant old = Instant.now().minus(Duration.ofDays(40));
    try (Connection c = TestEnvironment.database().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at, finished_at,"
                    + " duration_ms, status, instance_id) VALUES ('sync-integrations-15min', '15min', 'manual', ?, ?, ?, 10, ?, 'it')")) {
      for (int i = 0; i < 4; i++) {
        OffsetDateTime t = OffsetDateTime.ofInstant(old.plusSeconds(i), ZoneOffset.UTC);
        ps.setObject(1, t);
        ps.setObject(2, t);
        ps.setObject(3, t);
        ps.setString(4, i == 3 ? "running" : "failure");
        ps.executeUpdate();
      }
    }
    long recent = trigger15();
    Api.Reply r = admin.post("/api/cron/monitoring/cleanup", "{\"retentionDays\":30}");
    assertEquals(200, r.status(), r.toString());
    assertEquals("{\"deleted\":3,\"retentionDays\":30}", r.body());
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, status FROM cron_job_executions ORDER BY id")) {
      rs.next();
      assertEquals("running", rs.getString(2), "an old running execution is never deleted");
      rs.next();
      assertEquals(recent, rs.getLong(1));
      assertFalse(rs.next());
    }
    Api.Reply again = cron.post("/api/cron/monitoring/cleanup", "{\"retentionDays\":30}");
    assertEquals("{\"deleted\":0,\"retentionDays\":30}", again.body());
  }

  /** A daily cleanup the server started before the row above went in finishes before rows are added. */
  private static void awaitNoCleanupInProgress() throws Exception {
    for (int i = 0; i < 300; i++) {
      try (Connection c = TestEnvironment.database().connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM monitoring_daily_tasks WHERE finished_at IS NULL AND instance_id <> 'it'")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return;
        }
      }
      Thread.sleep(100); // waiting for the server's background cleanup, not for time to pass in it
    }
    throw new AssertionError("the server's daily log cleanup did not finish in 30 s");
  }

  @Test
  void badInputsAnswer400InTheApisErrorShape() {
    for (String q : List.of("0", "-5", "abc", "1.5", "24.0", "")) {
      Api.Reply r = cron.get("/api/cron/monitoring?timeRange=" + q);
      if (q.isEmpty()) {
        assertEquals(200, r.status(), "an empty value is the default");
        continue;
      }
      assertEquals(400, r.status(), q + " → " + r);
      assertTrue(r.body().startsWith("{\"error\":\"bad_request\""), r.body());
    }
    Api.Reply capped = cron.get("/api/cron/monitoring?timeRange=500");
    assertEquals(168, capped.json().getJsonObject("timeRange").getInt("hours"));
    for (String body :
        List.of("{\"retentionDays\":0}", "{\"retentionDays\":3651}", "{\"retentionDays\":\"30\"}", "{\"retentionDays\":30.5}",
            "{}", "{\"retentionDays\":30,\"all\":true}", "{not json", "[30]")) {
      Api.Reply r = cron.post("/api/cron/monitoring/cleanup", body);
      assertEquals(400, r.status(), body + " → " + r);
      assertTrue(r.json().containsKey("error") && r.json().containsKey("message"), r.body());
    }
    Api.Reply noBody = cron.post("/api/cron/monitoring/cleanup", "");
    assertEquals(400, noBody.status(), noBody.toString());
    Api.Reply text = cron.send("POST", "/api/cron/monitoring/cleanup", "text/plain", "retentionDays=30");
    assertEquals(415, text.status(), text.toString());
    assertTrue(text.body().startsWith("{\"error\":"), text.body());
  }

  @Test
  void metricsOpenApiAndHealthAnswer() throws Exception {
    trigger15();
    String metrics = null;
    for (int i = 0; i < 100; i++) {
      Api.Reply r = anonymous.get("/metrics");
      assertEquals(200, r.status(), r.toString());
      metrics = r.body();
      if (metrics.contains("tributary_provider_syncs_total")) {
        break;
      }
      Thread.sleep(100); // the after-run work is asynchronous
    }
    for (String name :
        List.of("tributary_runs_total", "tributary_run_duration_seconds", "tributary_provider_syncs_total",
            "tributary_ratelimit_deferrals_total", "tributary_alerts_open")) {
      assertTrue(metrics.contains(name), name + " in\n" + metrics);
    }
    assertTrue(metrics.contains("job=\"" + FIFTEEN + "\""), metrics);

    Api.Reply openapi = anonymous.get("/openapi", "Accept", "application/json");
    assertEquals(200, openapi.status(), openapi.toString());
    for (String s :
        List.of("/api/cron/monitoring", "/api/cron/monitoring/cleanup", "/api/cron/sync-integrations", "/api/connections",
            "cronBearer", "basic", "bearer", "ApiError")) {
      assertTrue(openapi.body().contains(s), s + " in the OpenAPI document");
    }

    Api.Reply live = anonymous.get("/health/live");
    assertEquals(200, live.status(), live.toString());
    assertTrue(live.body().contains("\"scheduler\"") && live.body().contains("not scheduled"), live.body());
  }
}
