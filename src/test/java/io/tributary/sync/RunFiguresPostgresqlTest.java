package io.tributary.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.MigratedPostgresql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A finished run's figures are aggregated from the connections it synced. With 100,000 connections
 * over 20 runs, those statements read the run's own rows through {@code connections_provider_run_idx}
 * (one range per provider), never the table: the index on {@code last_run_execution} alone, which
 * every sync's outcome had to write, is gone (schema 011).
 */
class RunFiguresPostgresqlTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  @Test
  void aRunsFiguresReadOnlyItsOwnRowsThroughTheProviderRunIndex() throws Exception {
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO app_users (id, external_id) SELECT g, 'u' || g FROM generate_series(1, 25000) g");
      // Run r (1..20) synced the users with u % 20 = r - 1, every provider; in run 7, one GitHub
      // connection in ten failed.
      s.execute(
          "INSERT INTO connections (user_id, provider, status, last_run_execution, last_outcome, last_error,"
              + " last_duration_ms, last_calls, last_records_changed)"
              + " SELECT u, p, 'active', u % 20 + 1,"
              + " CASE WHEN p = 'github' AND u % 200 = 6 THEN 'failure' ELSE 'success' END,"
              + " CASE WHEN p = 'github' AND u % 200 = 6 THEN 'HTTP 502' END, 100, 2, 1"
              + " FROM generate_series(1, 25000) u, unnest(ARRAY['github', 'notion', 'slack', 'google_calendar']) p");
      s.execute("VACUUM ANALYZE connections");
      Set<String> indexes = new TreeSet<>();
      try (ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'connections'")) {
        while (rs.next()) {
          indexes.add(rs.getString(1));
        }
      }
      assertFalse(indexes.contains("connections_last_run_idx"), indexes.toString());
      // Nor one on last_success_at, which every successful sync also wrote (the freshness figures read by provider and status).
      assertFalse(indexes.contains("connections_freshness_idx"), indexes.toString());
      assertTrue(indexes.contains("connections_provider_run_idx"), indexes.toString());
      // And its pages keep room for the lease's HOT update (schema 11.1).
      try (ResultSet rs = s.executeQuery("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'connections'")) {
        rs.next();
        assertEquals("fillfactor=70", rs.getString(1));
      }
    }
    try (Connection c = POSTGRES.dataSource().getConnection()) {
      for (String sql :
          List.of(
              "SELECT provider, last_outcome, COUNT(*) FROM connections WHERE " + ExecutionLog.A_RUNS_ROWS + " GROUP BY provider, last_outcome",
              "SELECT COUNT(DISTINCT user_id) FROM connections WHERE " + ExecutionLog.A_RUNS_ROWS)) {
        String plan = explain(c, sql, 7);
        assertTrue(plan.contains("connections_provider_run_idx"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
        // 1,250 users × 4 providers are the run's rows; nothing else is read.
        assertTrue(plan.contains("rows=5000 "), plan);
        assertFalse(plan.contains("Rows Removed"), plan);
      }
      ExecutionLog.Figures f = ExecutionLog.figures(c, 7);
      assertEquals(5000, f.syncs);
      assertEquals(5000 - 125, f.successes);
      assertEquals(125, f.failures);
      assertEquals(1250, f.users);
      assertEquals(List.of("github: HTTP 502 (125)"), f.errors);
      assertEquals(0, ExecutionLog.figures(c, 99).syncs);
    }
  }

  private static String explain(Connection c, String sql, long run) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)) {
      ps.setLong(1, run);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
