package io.tributary.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.TestEnvironment;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a run: after a restart the run shows as interrupted, no connection stays
 * leased, the next run works, and no record is duplicated.
 */
class CrashRecoveryIT {

  static final int CONNECTIONS = 40;

  @Test
  void aRunKilledMidwayIsMarkedInterruptedAndTheNextRunCompletes() throws Exception {
    ProviderSimulator sim = TestEnvironment.simulator();
    Map<String, String> fastLease = Map.of("sync.lease.timeout.seconds", "6", "sync.concurrency", "4");
    long executionId;
    PayaraProcess first = PayaraProcess.start("crash-1", fastLease);
    try {
      // Only this test's connections (the first start has migrated the database).
      try (Connection c = TestEnvironment.database().connect();
          Statement s = c.createStatement()) {
        s.execute("TRUNCATE synced_records, sync_cursors, execution_chunks, cron_job_executions, connections, app_users CASCADE");
        s.execute("UPDATE sync_job_locks SET execution_id = NULL");
      }
      Api admin = first.api().asAdmin();
      for (int i = 0; i < CONNECTIONS; i++) {
        Account a = sim.account("github", "crash-" + i + "-" + System.nanoTime());
        a.seed(5);
        Tokens t = a.issueTokens(Duration.ofHours(1), true);
        Api.Reply r =
            admin.post(
                "/api/connections",
                "{\"userId\":\"crash-" + i + "\",\"provider\":\"github\",\"accessToken\":\"" + t.accessToken()
                    + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
        assertEquals(201, r.status(), r.toString());
      }
      // Slow GitHub: 40 connections × 2 calls × 300 ms at concurrency 4 is about 6 s of work.
      sim.faults("github").latency(Duration.ofMillis(300));
      Api.Reply started = first.api().asCron().post("/api/cron/sync-integrations?interval=15min", null, "Prefer", "respond-async");
      assertEquals(202, started.status(), started.toString());
      executionId = started.json().getJsonNumber("executionId").longValue();
      waitUntil(() -> syncedIn(executionId) >= 4, Duration.ofSeconds(60));
    } finally {
      first.kill();
    }
    int doneBeforeCrash = syncedIn(executionId);
    assertTrue(doneBeforeCrash < CONNECTIONS, "killed mid-run (" + doneBeforeCrash + " of " + CONNECTIONS + " done)");
    assertEquals("running", status(executionId), "nobody has noticed yet");

    sim.faults("github").clear();
    try (PayaraProcess second = PayaraProcess.start("crash-2", fastLease)) {
      waitUntil(() -> !"running".equals(status(executionId)), Duration.ofSeconds(60));
      JsonObject execution = second.api().asCron().get("/api/cron/executions/" + executionId).json();
      assertEquals("interrupted", execution.getString("status"), execution.toString());
      assertTrue(execution.getString("errorSummary").contains("interrupted"), execution.toString());
      assertEquals(0, count("SELECT COUNT(*) FROM connections WHERE lease_until > now()"), "no connection stays leased");

      JsonObject next = second.api().asCron().post("/api/cron/sync-integrations?interval=15min", null).json();
      assertEquals("success", next.getString("status"), next.toString());
      assertEquals(CONNECTIONS, next.getInt("successCount"), next.toString());
    }
    assertEquals(0, count(
        "SELECT COUNT(*) FROM (SELECT connection_id, kind, external_id FROM synced_records"
            + " GROUP BY connection_id, kind, external_id HAVING COUNT(*) > 1) d"), "no duplicated record");
    assertEquals(CONNECTIONS * 15, count("SELECT COUNT(*) FROM synced_records"), "5 repos + 5 issues + 5 pull requests each, none lost");
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitUntil(Check check, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + max);
      }
      Thread.sleep(200); // observing an external process, not moving test time
    }
  }

  static int syncedIn(long executionId) throws Exception {
    return count("SELECT COUNT(*) FROM connections WHERE last_run_execution = " + executionId);
  }

  static String status(long executionId) throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM cron_job_executions WHERE id = " + executionId)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static int count(String sql) throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
