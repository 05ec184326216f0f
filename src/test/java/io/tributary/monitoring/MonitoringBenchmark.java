package io.tributary.monitoring;

import io.tributary.testing.Databases;
import io.tributary.testing.MapConfig;
import io.tributary.testing.TestDatabase;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Monitoring latency at size, on PostgreSQL: 30 days of history for 4 jobs (about 7,900 executions)
 * and 100,000 connections. Not part of the suite (its name ends in Benchmark); run it with
 *
 * <pre>mvn -B test -Dtest=MonitoringBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * and read p50/p99 in target/surefire-reports/io.tributary.monitoring.MonitoringBenchmark-output.txt
 * ({@code -Dbench.keep=true} keeps the database for EXPLAIN ANALYZE).
 * The target is p99 below 50 ms for the monitoring JSON.
 */
class MonitoringBenchmark {

  static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");

  @Test
  void monitoringLatencyWithThirtyDaysOfHistoryAndAHundredThousandConnections() throws Exception {
    TestDatabase database = Databases.postgresql();
    try {
      DataSource db = Databases.migratedPostgresql(database);
      long seedStart = System.nanoTime();
      seed(db);
      System.out.printf(Locale.ROOT, "seeded in %.1f s%n", (System.nanoTime() - seedStart) / 1e9);
      // The container reads through a connection pool; PGSimpleDataSource would open a new physical
      // connection per getConnection() (several ms each), which is not what is being measured.
      MonitoringFixture f = new MonitoringFixture(pooled(db), NOW, new MapConfig());
      f.figures.recordMissing(NOW.minusSeconds(31L * 24 * 3600));
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        s.execute("VACUUM ANALYZE");
      }
      measure("GET /api/cron/monitoring (24 h)", 500, () -> f.report.report(24));
      measure("GET /api/cron/monitoring?timeRange=168", 300, () -> f.report.report(168));
      measure("alert evaluation (figures + rules + state)", 200, () -> f.evaluator.evaluate("bench-" + System.nanoTime()));
      measure("connection figures, recomputed (what the 10 s refresh costs)", 200, () -> f.queries.providerConnections(NOW));
      System.out.println("executions: " + f.count("SELECT COUNT(*) FROM cron_job_executions")
          + ", connections: " + f.count("SELECT COUNT(*) FROM connections")
          + ", open alerts: " + f.store.open().size());
    } finally {
      if (Boolean.getBoolean("bench.keep")) {
        System.out.println("kept database " + database.name() + " (drop it by hand)");
      } else {
        database.close();
      }
    }
  }

  /** One physical connection, handed out again and again (a single-threaded pool). */
  static DataSource pooled(DataSource db) throws SQLException {
    Connection physical = db.getConnection();
    Connection handle =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(physical, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> method.getName().equals("getConnection") ? handle : method.invoke(db, args));
  }

  static void measure(String what, int n, Supplier<?> call) {
    n = Integer.getInteger("bench.n", n);
    for (int i = 0; i < 50; i++) {
      call.get(); // warm-up: JIT, connection, plans
    }
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      call.get();
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT, "%s: n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n", what, n,
        nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6, nanos[n * 99 / 100] / 1e6, nanos[n - 1] / 1e6);
  }

  static void seed(DataSource db) throws Exception {
    String breakdown15 =
        "'{\"github\":{\"syncs\":25000,\"successes\":24900,\"failures\":80,\"deferred\":20,\"averageDurationMs\":850,\"recordsChanged\":4000,\"calls\":60000}}'";
    String breakdown30 =
        "'{\"notion\":{\"syncs\":25000,\"successes\":24950,\"failures\":50,\"deferred\":0,\"averageDurationMs\":700,\"recordsChanged\":900,\"calls\":40000},"
            + "\"slack\":{\"syncs\":25000,\"successes\":24990,\"failures\":10,\"deferred\":0,\"averageDurationMs\":1200,\"recordsChanged\":7000,\"calls\":90000},"
            + "\"google_calendar\":{\"syncs\":25000,\"successes\":25000,\"failures\":0,\"deferred\":0,\"averageDurationMs\":400,\"recordsChanged\":300,\"calls\":30000}}'";
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      // 4 jobs over 30 days: 15-minute (2,880 runs), 30-minute (1,440), the seed's old single job every
      // 15 minutes (2,880) and a manual "all" run every hour (720). About 1 in 25 fails, 1 in 10 partial.
      String[][] jobs = {
        {"sync-integrations-15min", "15min", "15 minutes", "2880", breakdown15},
        {"sync-integrations-30min", "30min", "30 minutes", "1440", breakdown30},
        {"sync-integrations", "all", "15 minutes", "2880", breakdown15},
        {"sync-integrations-all", "all", "60 minutes", "720", breakdown30}
      };
      for (String[] j : jobs) {
        s.execute(
            "INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at, finished_at,"
                + " duration_ms, status, instance_id, success_count, failure_count, provider_breakdown)"
                + " SELECT '" + j[0] + "', '" + j[1] + "', 'schedule', t, t + INTERVAL '1 second', t + INTERVAL '40 seconds',"
                + " 39000 + (g % 7) * 1000,"
                + " CASE WHEN g % 25 = 3 THEN 'failure' WHEN g % 10 = 5 THEN 'partial' ELSE 'success' END,"
                + " 'bench', 100, 1, " + j[4]
                + " FROM (SELECT g, TIMESTAMP WITH TIME ZONE '" + NOW + "' - (g * INTERVAL '" + j[2] + "') AS t"
                + " FROM generate_series(1, " + j[3] + ") g) x");
      }
      s.execute("INSERT INTO app_users (external_id) SELECT 'bench-user-' || g FROM generate_series(1, 25000) g");
      String[] providers = {"github", "notion", "slack", "google_calendar"};
      for (String p : providers) {
        String job = p.equals("github") ? "sync-integrations-15min" : "sync-integrations-30min";
        s.execute(
            "INSERT INTO connections (user_id, provider, status, created_at, last_success_at, last_attempt_at,"
                + " last_run_execution, last_outcome, last_error, last_duration_ms)"
                + " SELECT u.id, '" + p + "',"
                + " CASE WHEN u.id % 33 = 0 THEN 'needs_reauth' WHEN u.id % 50 = 1 THEN 'disabled' ELSE 'active' END,"
                + " TIMESTAMP WITH TIME ZONE '" + NOW + "' - INTERVAL '60 days',"
                + " TIMESTAMP WITH TIME ZONE '" + NOW + "' - ((u.id % 5400) * INTERVAL '1 second'),"
                + " TIMESTAMP WITH TIME ZONE '" + NOW + "' - INTERVAL '5 minutes',"
                + " (SELECT MAX(id) FROM cron_job_executions WHERE job_name = '" + job + "'),"
                + " CASE WHEN u.id % 97 = 0 THEN 'failure' ELSE 'success' END,"
                + " CASE WHEN u.id % 97 = 0 THEN 'HTTP 502 after 4 attempts' END, 800"
                + " FROM app_users u");
      }
    }
  }
}
