package io.tributary.benchmark;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What PostgreSQL did, from its cumulative statistics views: transactions committed, rows written,
 * updates that were HOT (no index touched), the WAL written and its full-page images. Taken before
 * and after a run, per connection-sync it tells where the database's CPU goes, which the machine's
 * CPU figures alone cannot. WAL figures are the whole cluster's (the benchmark runs alone on it).
 */
record PostgresWork(long commits, long inserted, long updated, long hotUpdated, long walRecords, long walFullPages, long walBytes,
    long autovacuums) {

  static PostgresWork now(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // Statistics are flushed by each backend at most once a second: a run is long enough for that.
      long[] db = longs(s, "SELECT xact_commit, tup_inserted, tup_updated FROM pg_stat_database WHERE datname = current_database()", 3);
      long[] tables = longs(s, "SELECT COALESCE(SUM(n_tup_hot_upd), 0), COALESCE(SUM(autovacuum_count), 0) FROM pg_stat_user_tables", 2);
      long[] wal = longs(s, "SELECT wal_records, wal_fpi, wal_bytes FROM pg_stat_wal", 3);
      return new PostgresWork(db[0], db[1], db[2], tables[0], wal[0], wal[1], wal[2], tables[1]);
    }
  }

  private static long[] longs(Statement s, String sql, int n) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = rs.getLong(i + 1);
      }
      return v;
    }
  }

  /** The figures as the benchmark's JSON names them. */
  JsonObjectBuilder toJson() {
    return Json.createObjectBuilder().add("commits", commits).add("rowsInserted", inserted).add("rowsUpdated", updated)
        .add("hotUpdates", hotUpdated).add("walRecords", walRecords).add("walFullPageImages", walFullPages)
        .add("walBytes", walBytes).add("autovacuums", autovacuums);
  }

  PostgresWork minus(PostgresWork o) {
    return new PostgresWork(commits - o.commits, inserted - o.inserted, updated - o.updated, hotUpdated - o.hotUpdated,
        walRecords - o.walRecords, walFullPages - o.walFullPages, walBytes - o.walBytes, autovacuums - o.autovacuums);
  }
}
