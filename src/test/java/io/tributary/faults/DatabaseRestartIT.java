package io.tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestEnvironment;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted in the middle of a run (on a throwaway cluster of its own): the run ends
 * with its failures counted, the service is ready again without a restart, and the next run syncs
 * everything, with no record duplicated.
 */
class DatabaseRestartIT {

  static final int CONNECTIONS = 30;

  @Test
  void aDatabaseRestartMidRunIsSurvivedWithoutRestartingTheService() throws Exception {
    ProviderSimulator sim = TestEnvironment.simulator();
    try (TestDatabase db = TestDatabase.createThrowaway()) {
      Map<String, String> props = new HashMap<>(TestEnvironment.serverProperties());
      props.put("database.url", db.databaseUrl());
      props.put("sync.concurrency", "3");
      try (PayaraProcess app = PayaraProcess.startWith("db-restart", props, "-Xmx512m")) {
        Api admin = app.api().asAdmin();
        Api cron = app.api().asCron();
        for (int i = 0; i < CONNECTIONS; i++) {
          Account a = sim.account("notion", "restart-" + i + "-" + System.nanoTime());
          a.seed(3);
          Tokens t = a.issueTokens(null, true);
          Api.Reply r = admin.post("/api/connections",
              "{\"userId\":\"restart-" + i + "\",\"provider\":\"notion\",\"accessToken\":\"" + t.accessToken()
                  + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
          assertEquals(201, r.status(), r.toString());
        }
        sim.faults("notion").latency(Duration.ofMillis(250));
        Api.Reply started = cron.post("/api/cron/sync-integrations?interval=30min", null, "Prefer", "respond-async");
        assertEquals(202, started.status(), started.toString());
        Thread.sleep(1500); // let the run get going before cutting the database (external event)
        db.restartServer();
        sim.faults("notion").clear();

        long id = started.json().getJsonNumber("executionId").longValue();
        JsonObject run = null;
        for (int i = 0; i < 240; i++) {
          Api.Reply r = cron.get("/api/cron/executions/" + id);
          if (r.status() == 200 && !"running".equals(r.json().getString("status"))) {
            run = r.json();
            break;
          }
          Thread.sleep(500); // polling the service as an operator would
        }
        assertTrue(run != null, "the interrupted run ended");
        assertEquals(200, app.api().get("/health/ready").status(), "ready again without a restart");

        JsonObject next = null;
        for (int i = 0; i < 120 && next == null; i++) {
          Api.Reply r = cron.post("/api/cron/sync-integrations?interval=30min", null);
          if (r.status() == 200) {
            next = r.json();
          } else {
            Thread.sleep(500); // the previous run may still hold the job's lock
          }
        }
        assertTrue(next != null, "a next run started");
        System.out.println("Run during the restart: " + run + "; next run: " + next);
        assertEquals("success", next.getString("status"), next.toString());
        assertEquals(CONNECTIONS, next.getInt("successCount"));
        try (Connection c = db.connect();
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM synced_records), (SELECT COUNT(*) FROM (SELECT 1 FROM synced_records GROUP BY connection_id, kind, external_id HAVING COUNT(*) > 1) d)")) {
          rs.next();
          assertEquals(CONNECTIONS * 6L, rs.getLong(1), "3 pages + 3 databases per connection, none lost");
          assertEquals(0, rs.getLong(2), "none duplicated");
        }
      }
    }
  }
}
