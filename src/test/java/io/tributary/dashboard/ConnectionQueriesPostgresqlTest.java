package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.Provider;
import io.tributary.testing.MigratedPostgresql;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConnectionQueriesBehaviour} on PostgreSQL, and the promise that matters at scale: with
 * 100,000 connections, every filter of the integrations page, on its first page and deep in the
 * paging, reads a page's worth of index entries, never the table (EXPLAIN ANALYZE, counted).
 */
class ConnectionQueriesPostgresqlTest extends ConnectionQueriesBehaviour {

  private static final Logger LOG = Logger.getLogger(ConnectionQueriesPostgresqlTest.class.getName());

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  @Override
  DataSource emptyDatabase() {
    return POSTGRES.dataSource();
  }

  @Test
  void with100000ConnectionsEveryFilterReadsOnlyAPageOfIndexEntries() throws Exception {
    int users = 25_000;
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE connections, app_users CASCADE");
      s.execute(
          "INSERT INTO app_users (id, external_id) SELECT g, 'bulk-' || g FROM generate_series(1, "
              + users + ") g");
      // Four providers per user; mostly healthy, 3 % failing, 1 % needs re-auth, 1 % disabled,
      // and Slack almost entirely disabled so its other states are rare (the worst case for a
      // filter that scans and discards).
      s.execute(
          "INSERT INTO connections (user_id, provider, status, consecutive_failures, records_count)"
              + " SELECT u, p, CASE WHEN p = 'slack' AND u % 500 <> 0 THEN 'disabled'"
              + " WHEN u % 100 = 1 THEN 'needs_reauth' WHEN u % 100 = 2 THEN 'disabled' ELSE 'active' END,"
              + " CASE WHEN u % 100 IN (1, 3, 4, 5) THEN 2 ELSE 0 END, u % 1000"
              + " FROM generate_series(1, " + users + ") u,"
              + " unnest(ARRAY['github', 'notion', 'slack', 'google_calendar']) p ORDER BY u, p");
      // Statistics and visibility map as autovacuum keeps them on a live POSTGRES.database().
      s.execute("VACUUM ANALYZE connections");
      s.execute("VACUUM ANALYZE app_users");
    }
    long maxId;
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(id), count(*) FROM connections")) {
      rs.next();
      maxId = rs.getLong(1);
      assertEquals(100_000, rs.getLong(2));
    }
    List<Provider> providers = new ArrayList<>(Arrays.asList(Provider.values()));
    providers.add(null);
    List<HealthState> states = new ArrayList<>(Arrays.asList(HealthState.values()));
    states.add(null);
    List<ConnectionFilter> filters = new ArrayList<>();
    for (Provider p : providers) {
      for (HealthState st : states) {
        filters.add(new ConnectionFilter(p, st, null, 0, null, ConnectionFilter.DEFAULT_SIZE));
        filters.add(new ConnectionFilter(p, st, null, maxId * 9 / 10, null, ConnectionFilter.DEFAULT_SIZE));
        filters.add(new ConnectionFilter(p, st, null, 0, maxId * 9 / 10, ConnectionFilter.DEFAULT_SIZE));
      }
    }
    filters.add(new ConnectionFilter(null, null, "bulk-12345", 0, null, ConnectionFilter.DEFAULT_SIZE));
    filters.add(new ConnectionFilter(Provider.NOTION, HealthState.FAILING, "bulk-12303", 0, null, ConnectionFilter.DEFAULT_SIZE));
    StringBuilder report = new StringBuilder();
    try (Connection c = POSTGRES.dataSource().getConnection()) {
      for (ConnectionFilter f : filters) {
        long key = f.backwards() ? f.before() : f.after();
        ConnectionPageSql.Statement st = ConnectionPageSql.page(f, f.backwards(), key, f.size() + 1);
        JsonObject plan = explain(c, st);
        long read = rowsRead(plan.getJsonObject("Plan"));
        double ms = plan.getJsonNumber("Execution Time").doubleValue();
        String what = describe(f);
        report.append(String.format(Locale.ROOT, "%-60s %6d rows read %8.2f ms%n", what, read, ms));
        assertFalse(plan.toString().contains("\"Seq Scan\""), what + " scans a table: " + plan);
        // Branches × (page + 1) ids, plus one index lookup per row shown for the joins.
        assertTrue(read <= 12 * 51 + 2 * 51 + 5, what + " read " + read + " rows: " + plan);
      }
      JsonObject health = explain(c, new ConnectionPageSql.Statement(
          "SELECT provider, COUNT(*) FROM connections WHERE " + HealthState.FAILING.condition()
              + " GROUP BY provider", List.of()));
      assertFalse(health.toString().contains("\"Seq Scan\""), "failing counts from the partial index: " + health);
      // The per-state counts are one aggregate over every connection (reported, not bounded).
      JsonObject counts = explain(c, new ConnectionPageSql.Statement(
          "SELECT provider, status, COUNT(*) FROM connections GROUP BY provider, status", List.of()));
      report.append(String.format(Locale.ROOT, "%-60s %6d rows read %8.2f ms%n", "provider health counts (all rows)",
          rowsRead(counts.getJsonObject("Plan")), counts.getJsonNumber("Execution Time").doubleValue()));
    }
    LOG.info("Integrations page queries on 100,000 connections:\n" + report);
    // And the real thing through the service, every page of a rare filter (Slack, failing).
    long t0 = System.nanoTime();
    List<Long> seen = new ArrayList<>();
    ConnectionFilter f = new ConnectionFilter(Provider.SLACK, HealthState.FAILING, null, 0, null, 50);
    ConnectionPage page = queries.page(f);
    while (true) {
      page.rows().forEach(r -> seen.add(r.id()));
      if (page.nextAfter() == null) {
        break;
      }
      page = queries.page(f.after(page.nextAfter()));
    }
    assertEquals(countSlackFailing(), seen.size());
    LOG.info("Slack failing: " + seen.size() + " rows in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  private static long countSlackFailing() throws Exception {
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM connections WHERE provider = 'slack' AND status = 'active'"
                    + " AND consecutive_failures > 0")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String describe(ConnectionFilter f) {
    return "provider=" + (f.provider() == null ? "*" : f.provider().id())
        + " state=" + (f.state() == null ? "*" : f.state().id())
        + (f.userId() == null ? "" : " user=" + f.userId())
        + (f.backwards() ? " before=" + f.before() : " after=" + f.after());
  }

  private static JsonObject explain(Connection c, ConnectionPageSql.Statement st) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + st.sql())) {
      for (int i = 0; i < st.params().size(); i++) {
        ps.setObject(i + 1, st.params().get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        JsonArray a = Json.createReader(new StringReader(rs.getString(1))).readArray();
        return a.getJsonObject(0);
      }
    }
  }

  /** Rows produced or discarded by every scan node of the plan (actual rows × loops + filtered). */
  private static long rowsRead(JsonObject node) {
    long n = 0;
    String type = node.getString("Node Type");
    if (type.contains("Scan")) {
      long loops = node.getJsonNumber("Actual Loops").longValue();
      n += node.getJsonNumber("Actual Rows").longValue() * loops;
      if (node.containsKey("Rows Removed by Filter")) {
        n += node.getJsonNumber("Rows Removed by Filter").longValue() * loops;
      }
      if (node.containsKey("Rows Removed by Index Recheck")) {
        n += node.getJsonNumber("Rows Removed by Index Recheck").longValue() * loops;
      }
    }
    if (node.containsKey("Plans")) {
      for (JsonValue child : node.getJsonArray("Plans")) {
        n += rowsRead(child.asJsonObject());
      }
    }
    return n;
  }
}
