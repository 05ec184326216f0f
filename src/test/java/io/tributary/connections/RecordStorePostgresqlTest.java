package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.MigratedPostgresql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RecordStoreBehaviour} on PostgreSQL, where the usual page is one statement. */
class RecordStorePostgresqlTest extends RecordStoreBehaviour {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  @Override
  DataSource emptyDatabase() {
    return POSTGRES.dataSource();
  }

  /**
   * Every stored record pays for each index of its table: two, the key the records API pages by
   * (connection_id, id) and the identity a sync upserts on. Schema 10.1 dropped the key on id alone.
   */
  @Test
  void recordsHaveTwoIndexesThePagingKeyAndTheIdentity() throws Exception {
    Map<String, String> indexes = new TreeMap<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'synced_records'")) {
      while (rs.next()) {
        indexes.put(rs.getString(1), rs.getString(2).replaceAll(".* USING btree ", ""));
      }
    }
    assertEquals(
        Map.of("synced_records_identity_key", "(connection_id, kind, external_id)", "synced_records_pkey", "(connection_id, id)"),
        indexes);
  }

  /** The records API's page is read through the primary key, a page's worth of it, however many records there are. */
  @Test
  void aRecordsPageIsAnIndexRangeOfThePrimaryKey() throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO connections (id, user_id, provider, status) VALUES (8, 1, 'notion', 'active'), (9, 1, 'slack', 'active')");
      s.execute(
          "INSERT INTO synced_records (connection_id, kind, external_id, title, synced_at)"
              + " SELECT 7 + (g % 3), 'repository', 'r' || g, 'title ' || g, now() FROM generate_series(1, 30000) g");
      s.execute("ANALYZE synced_records");
      long after;
      try (ResultSet rs = s.executeQuery("SELECT MIN(id) + 5000 FROM synced_records WHERE connection_id = 8")) {
        rs.next();
        after = rs.getLong(1);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "EXPLAIN (ANALYZE, FORMAT TEXT) SELECT id, kind, external_id, title, url, updated_at FROM synced_records"
                  + " WHERE connection_id = ? AND id > ? ORDER BY id LIMIT ?")) {
        ps.setLong(1, 8);
        ps.setLong(2, after);
        ps.setInt(3, 50);
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        assertTrue(plan.toString().contains("Index Scan using synced_records_pkey"), plan.toString());
        assertFalse(plan.toString().contains("Seq Scan"), plan.toString());
        assertFalse(plan.toString().contains("Sort"), plan.toString());
      }
    }
    // And the store's own page answers in id order after the given id, only that connection's.
    var page = store.page(8, Optional.empty(), 0, 50);
    assertEquals(50, page.size());
    long previous = 0;
    for (var entry : page) {
      assertTrue(entry.getKey() > previous);
      previous = entry.getKey();
    }
  }
}
