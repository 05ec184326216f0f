package io.tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestEnvironment;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The database connection pool exhausted in the middle of a run, two ways, on a throwaway cluster of
 * its own: every pooled connection stuck behind a lock (callers wait their {@code
 * DATABASE_POOL_MAX_WAIT_MS} and fail), and PostgreSQL itself letting the service have only a few
 * connections while the run wants far more (sync concurrency 128). After each: the run ends with
 * every connection counted exactly once (success or failure, as its row says), a success really
 * synced, the service ready again without a restart, and the next run syncs everything with no
 * record duplicated or lost.
 */
class PoolExhaustionIT {

  static final List<String> PROVIDERS = List.of("github", "notion", "slack", "google_calendar");
  static final int PER_PROVIDER = 40;
  static final int CONNECTIONS = PROVIDERS.size() * PER_PROVIDER;
  static final String APP_ROLE = "tributary_app";

  TestDatabase db;
  PayaraProcess app;
  Api cron;

  @Test
  void anExhaustedPoolIsSurvivedWithEveryConnectionCountedOnce() throws Exception {
    ProviderSimulator sim = TestEnvironment.simulator();
    try (TestDatabase throwaway = TestDatabase.createThrowaway()) {
      db = throwaway;
      // A role of its own (not a superuser), so a connection limit applies to the service.
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE ROLE " + APP_ROLE + " LOGIN");
        s.execute("ALTER DATABASE " + db.name() + " OWNER TO " + APP_ROLE);
        s.execute("ALTER SCHEMA public OWNER TO " + APP_ROLE);
      }
      Map<String, String> props = new HashMap<>(TestEnvironment.serverProperties());
      props.put("database.url", "postgresql://" + APP_ROLE + "@" + db.host() + ":" + db.port() + "/" + db.name());
      props.put("sync.concurrency", "128");
      // From the environment, as an operator sets it: also proves the variable reaches the pool.
      Map<String, String> env = Map.of("DATABASE_POOL_MAX_WAIT_MS", "2000");
      try (PayaraProcess started = PayaraProcess.startWith("pool", props, env, "-Xmx512m")) {
        app = started;
        Api admin = app.api().asAdmin();
        cron = app.api().asCron();
        List<ProviderFaultsIT.Conn> conns = new ArrayList<>();
        for (String p : PROVIDERS) {
          for (int i = 0; i < PER_PROVIDER; i++) {
            Account a = sim.account(p, "pool-" + p + "-" + i + "-" + System.nanoTime());
            a.seed(2);
            Tokens t = a.issueTokens(Duration.ofHours(2), true);
            Api.Reply r =
                admin.post("/api/connections",
                    "{\"userId\":\"pool-" + i + "\",\"provider\":\"" + p + "\",\"accessToken\":\"" + t.accessToken()
                        + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
            assertEquals(201, r.status(), r.toString());
            conns.add(new ProviderFaultsIT.Conn(r.json().getJsonNumber("id").longValue(), p, a));
          }
        }

        StringBuilder table = new StringBuilder("fault | runs | connections synced | failures counted (rows) | duplicates | lost\n");

        // 1. Every pooled connection blocked: the run's record writes wait behind a lock held here.
        try (Connection locker = db.connect()) {
          locker.setAutoCommit(false);
          try (Statement s = locker.createStatement()) {
            s.execute("LOCK TABLE synced_records IN EXCLUSIVE MODE");
          }
          long id = startRun();
          awaitTrue(Duration.ofMinutes(2), () -> blockedBackends() >= DataSourceConfiguration.MAX_POOL_SIZE - 4);
          int blocked = blockedBackends();
          // Exhausted as the service sees it: its readiness check waits DATABASE_POOL_MAX_WAIT_MS for
          // a connection, then reports DOWN (2 s here, not the default 30 s: the variable took effect).
          Duration probe = null;
          for (Instant giveUp = Instant.now().plus(Duration.ofMinutes(1)); probe == null && Instant.now().isBefore(giveUp); ) {
            Instant asked = Instant.now();
            if (app.api().get("/health/ready").status() == 503) {
              probe = Duration.between(asked, Instant.now());
            }
          }
          assertTrue(probe != null && probe.compareTo(Duration.ofMillis(1500)) >= 0 && probe.compareTo(Duration.ofSeconds(10)) < 0,
              "readiness waited " + probe);
          // API calls meanwhile: 503 with Retry-After (the database is unavailable), never a 500.
          Api.Reply during = null;
          for (Instant giveUp = Instant.now().plus(Duration.ofSeconds(30)); Instant.now().isBefore(giveUp); ) {
            during = admin.get("/api/connections?limit=1");
            assertTrue(during.status() == 200 || during.status() == 503, during.toString());
            if (during.status() == 503) {
              break;
            }
          }
          assertEquals(503, during.status(), during.toString());
          assertTrue(during.body().startsWith("{\"error\":") && during.header("Retry-After") != null, during.toString());
          System.out.println("Pool exhausted: " + blocked + " backends waiting on the lock; readiness DOWN after " + probe.toMillis()
              + " ms; the API answered " + during);
          locker.rollback();
          table.append(afterFault("all " + DataSourceConfiguration.MAX_POOL_SIZE + " pooled connections blocked by a lock", id, conns, admin));
        }

        // 2. PostgreSQL lets the service have 4 connections while the run wants 128 at once: the
        // pooled ones are terminated, and new ones beyond 4 are refused (too many connections for role).
        long id;
        try {
          for (String p : PROVIDERS) {
            sim.faults(p).latency(Duration.ofMillis(400)); // keeps the run going while the fault is on
          }
          id = startRun();
          awaitTrue(Duration.ofMinutes(1), () -> done(id) >= 10);
          execute("ALTER ROLE " + APP_ROLE + " CONNECTION LIMIT 4");
          execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + APP_ROLE + "'");
          awaitTrue(Duration.ofMinutes(2), () -> unavailable(id) >= 5 || !"running".equals(statusOf(id)));
          long held = countQuietly("SELECT COUNT(*) FROM pg_stat_activity WHERE usename = '" + APP_ROLE + "'");
          assertTrue(held <= 4, "PostgreSQL holds the service to 4 connections, it has " + held);
          System.out.println("PostgreSQL starved the pool: the service holds " + held + " connections; " + unavailable(id)
              + " syncs failed on the database so far");
        } finally {
          execute("ALTER ROLE " + APP_ROLE + " CONNECTION LIMIT -1");
          PROVIDERS.forEach(p -> sim.faults(p).clear()); // the simulator is shared with the other tests
        }
        table.append(afterFault("PostgreSQL allows the service 4 connections (sync concurrency 128)", id, conns, admin));

        System.out.println(table);
      }
    }
  }

  /** Checks the faulty run and a clean one after it; returns the fault's table row. */
  String afterFault(String fault, long faultyId, List<ProviderFaultsIT.Conn> conns, Api admin) throws Exception {
    JsonObject faulty = awaitFinished(faultyId);
    awaitTrue(Duration.ofMinutes(1), () -> app.api().get("/health/ready").status() == 200);
    System.out.println(fault + ": " + faulty);
    if (faulty.getInt("failureCount") > 0) {
      // Said as what it is: the database, not a provider and not "internal error".
      assertTrue(faulty.getString("errorSummary").contains("database unavailable"), faulty.getString("errorSummary"));
      assertTrue(!faulty.getString("errorSummary").contains("internal error"), faulty.getString("errorSummary"));
    }
    Map<String, Integer> outcomes = outcomes(faultyId);
    int success = outcomes.getOrDefault("success", 0);
    int failure = outcomes.getOrDefault("failure", 0);
    assertEquals(CONNECTIONS, success + failure, fault + ": every connection counted once in the run: " + outcomes + unaccounted(faultyId));
    assertEquals(failure, faulty.getInt("failureCount"), fault + ": the log counts the failed rows");
    assertEquals(success, faulty.getInt("successCount"), fault + ": the log counts the synced rows");
    // A success is a real one: its records are the provider's.
    for (ProviderFaultsIT.Conn c : conns) {
      if ("success".equals(outcomeOf(c.id()))) {
        ProviderFaultsIT.assertRecordsEqual(admin, c, fault);
      }
    }
    JsonObject clean = runToEnd();
    assertEquals("success", clean.getString("status"), fault + ", then: " + clean);
    assertEquals(CONNECTIONS, clean.getInt("successCount"),
        fault + ": the next run syncs every connection (none left leased or in backoff)" + unaccounted(clean.getJsonNumber("id").longValue()));
    int synced = 0;
    for (ProviderFaultsIT.Conn c : conns) {
      ProviderFaultsIT.assertRecordsEqual(admin, c, fault);
      synced++;
    }
    long duplicates =
        count("SELECT COUNT(*) FROM (SELECT 1 FROM synced_records GROUP BY connection_id, kind, external_id HAVING COUNT(*) > 1) d");
    long expected = conns.stream().mapToLong(c -> kindsTotal(c)).sum();
    long lost = expected - count("SELECT COUNT(*) FROM synced_records");
    assertEquals(0, duplicates, fault);
    assertEquals(0, lost, fault);
    return fault + " | 2 (" + faulty.getString("status") + ", " + clean.getString("status") + ") | " + synced + "/" + CONNECTIONS
        + " | " + faulty.getInt("failureCount") + " (" + failure + ") | " + duplicates + " | " + lost + "\n";
  }

  static long kindsTotal(ProviderFaultsIT.Conn c) {
    return ProviderFaultsIT.kinds(c.provider()).stream().mapToLong(k -> c.account().items(k).size()).sum();
  }

  long startRun() {
    Api.Reply r = cron.post("/api/cron/sync-integrations", null, "Prefer", "respond-async");
    assertEquals(202, r.status(), r.toString());
    return r.json().getJsonNumber("executionId").longValue();
  }

  JsonObject runToEnd() throws Exception {
    return awaitFinished(startRun());
  }

  /** Polls the execution as an operator would; 503 while the database is unavailable is an answer too. */
  JsonObject awaitFinished(long id) throws Exception {
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(giveUp)) {
      Api.Reply r = cron.get("/api/cron/executions/" + id);
      assertTrue(r.status() == 200 || r.status() == 503, "GET execution " + id + ": " + r);
      if (r.status() == 200 && !"running".equals(r.json().getString("status"))) {
        return r.json();
      }
      Thread.sleep(500); // polling the service's background work
    }
    throw new AssertionError("execution " + id + " did not finish; see " + app.log().length() + " chars of log");
  }

  static void awaitTrue(Duration max, BooleanSupplier condition) throws InterruptedException {
    Instant giveUp = Instant.now().plus(max);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(giveUp)) {
        throw new AssertionError("condition not reached in " + max);
      }
      Thread.sleep(200); // polling the service's background work
    }
  }

  /** The connections a run did not count, as their rows and the service's log tell it. */
  String unaccounted(long executionId) throws Exception {
    StringBuilder out = new StringBuilder();
    String log = app.log();
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, provider, status, last_run_execution, last_outcome, last_error, lease_owner, lease_until, next_attempt_at"
                    + " FROM connections WHERE last_run_execution IS DISTINCT FROM ? ORDER BY id")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          out.append("\n  connection ").append(id).append(' ').append(rs.getString(2)).append(" status=").append(rs.getString(3))
              .append(" run=").append(rs.getLong(4)).append(" outcome=").append(rs.getString(5)).append(" error=").append(rs.getString(6))
              .append(" lease=").append(rs.getString(7)).append('@').append(rs.getString(8)).append(" next=").append(rs.getString(9));
          log.lines().filter(l -> l.contains("connection " + id + " ") || l.contains("connection " + id + ":")).limit(5)
              .forEach(l -> out.append("\n    ").append(l.length() > 300 ? l.substring(0, 300) : l));
        }
      }
    }
    return out.toString();
  }

  void execute(String sql) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Connections the run has finished with (any outcome). */
  long done(long executionId) {
    return countQuietly("SELECT COUNT(*) FROM connections WHERE last_run_execution = " + executionId);
  }

  long unavailable(long executionId) {
    return countQuietly(
        "SELECT COUNT(*) FROM connections WHERE last_run_execution = " + executionId + " AND last_error = 'database unavailable'");
  }

  String statusOf(long executionId) {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM cron_job_executions WHERE id = " + executionId)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  long countQuietly(String sql) {
    try {
      return count(sql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  int blockedBackends() {
    try {
      return (int)
          count("SELECT COUNT(*) FROM pg_stat_activity WHERE usename = '" + APP_ROLE + "' AND wait_event_type = 'Lock'");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Map<String, Integer> outcomes(long executionId) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT last_outcome, COUNT(*) FROM connections WHERE last_run_execution = ? GROUP BY last_outcome")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return out;
  }

  String outcomeOf(long connectionId) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT last_outcome FROM connections WHERE id = ?")) {
      ps.setLong(1, connectionId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  long count(String sql) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
