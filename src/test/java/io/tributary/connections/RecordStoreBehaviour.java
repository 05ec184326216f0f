package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.providers.RecordBatch;
import io.tributary.providers.StoreResult;
import io.tributary.providers.SyncedRecord;
import io.tributary.testing.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a page of records and its cursor are stored, on a real database (H2 and PostgreSQL
 * subclasses; PostgreSQL's usual page is one statement with no transaction around it): new, changed
 * and unchanged records are told apart, the count follows, and a page that fails stores nothing.
 */
abstract class RecordStoreBehaviour {

  static final long CONNECTION = 7;

  RecordStore store;
  DataSource ds;

  abstract DataSource emptyDatabase() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    ds = emptyDatabase();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM synced_records");
      s.execute("DELETE FROM sync_cursors");
      s.execute("DELETE FROM connections");
      s.execute("DELETE FROM app_users");
      s.execute("INSERT INTO app_users (id, external_id) VALUES (1, 'u1')");
      s.execute("INSERT INTO connections (id, user_id, provider, status) VALUES (" + CONNECTION + ", 1, 'github', 'active')");
    }
    store = new RecordStore();
    store.dataSource = ds;
    store.dialect = Databases.dialect(ds);
    store.clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  }

  static SyncedRecord repo(String id, String title) {
    return new SyncedRecord("repository", id, title, "https://example.test/" + id, Instant.parse("2029-12-31T00:00:00Z"),
        "{\"id\":" + id + ",\"name\":\"" + title + "\"}");
  }

  @Test
  void aPageIsInsertedThenRecognisedUnchangedThenUpdatedWithItsCursor() throws Exception {
    RecordBatch first = new RecordBatch().upsertAll(List.of(repo("1", "a"), repo("2", "b"), repo("3", "c"))).cursor("since", "t1");
    assertEquals(new StoreResult(3, 0, 0), store.store(CONNECTION, first));
    assertEquals(3, recordsCount());
    assertEquals(Map.of("since", "t1"), cursors());

    RecordBatch again = new RecordBatch().upsertAll(List.of(repo("1", "a"), repo("2", "b"), repo("3", "c"))).cursor("since", "t1");
    assertEquals(new StoreResult(0, 0, 0), store.store(CONNECTION, again), "nothing changed");
    assertEquals(3, recordsCount());

    RecordBatch changed = new RecordBatch().upsertAll(List.of(repo("2", "b2"), repo("4", "d"))).cursor("since", "t2");
    assertEquals(new StoreResult(1, 1, 0), store.store(CONNECTION, changed));
    assertEquals(4, recordsCount());
    assertEquals(Map.of("since", "t2"), cursors());
    assertEquals(Map.of("1", "a", "2", "b2", "3", "c", "4", "d"), titles());
  }

  @Test
  void aPageListingAnObjectTwiceStoresItOnceWithTheLastCopy() throws Exception {
    RecordBatch page = new RecordBatch().upsertAll(List.of(repo("1", "old"), repo("1", "new")));
    assertEquals(new StoreResult(1, 0, 0), store.store(CONNECTION, page));
    assertEquals(Map.of("1", "new"), titles());
    assertEquals(1, recordsCount());
  }

  @Test
  void aPageWithRemovalsTakesTheTransactionalPath() throws Exception {
    store.store(CONNECTION, new RecordBatch().upsertAll(List.of(repo("1", "a"), repo("2", "b"))).cursor("since", "t1"));
    RecordBatch page = new RecordBatch().upsert(repo("3", "c")).remove("repository", "1").cursor("since", "t2");
    assertEquals(new StoreResult(1, 0, 1), store.store(CONNECTION, page));
    assertEquals(Map.of("2", "b", "3", "c"), titles());
    assertEquals(2, recordsCount());
    assertEquals(Map.of("since", "t2"), cursors());
  }

  @Test
  void aPageThatFailsStoresNothingNeitherRecordsNorCursor() throws Exception {
    store.store(CONNECTION, new RecordBatch().upsert(repo("1", "a")).cursor("since", "t1"));
    // The cursor column holds 2,000 characters: this page's cursor fails after its records were written.
    RecordBatch page = new RecordBatch().upsertAll(List.of(repo("1", "changed"), repo("2", "b"))).cursor("since", "x".repeat(2001));
    assertThrows(IllegalStateException.class, () -> store.store(CONNECTION, page));
    assertEquals(Map.of("1", "a"), titles(), "records of the failed page rolled back");
    assertEquals(1, recordsCount());
    assertEquals(Map.of("since", "t1"), cursors());
  }

  long recordsCount() throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT records_count FROM connections WHERE id = " + CONNECTION)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  Map<String, String> cursors() throws Exception {
    return pairs("SELECT name, cursor_value FROM sync_cursors WHERE connection_id = " + CONNECTION);
  }

  Map<String, String> titles() throws Exception {
    return pairs("SELECT external_id, title FROM synced_records WHERE connection_id = " + CONNECTION);
  }

  Map<String, String> pairs(String sql) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }
}
