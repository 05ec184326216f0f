package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.providers.RecordBatch;
import io.tributary.providers.StoreResult;
import io.tributary.testing.MigratedPostgresql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sync's last page written with its outcome, in one PostgreSQL statement: the records, the cursor,
 * the connection's counts and the released lease, all or nothing, and safe to retry.
 */
class OutcomeWithPageTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  static final long CONNECTION = 7;
  DataSource ds;
  ConnectionHealth health;

  @BeforeEach
  void setUp() throws Exception {
    ds = POSTGRES.dataSource();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM synced_records");
      s.execute("DELETE FROM sync_cursors");
      s.execute("DELETE FROM connections");
      s.execute("DELETE FROM app_users");
      s.execute("INSERT INTO app_users (id, external_id) VALUES (1, 'u1')");
      s.execute("INSERT INTO connections (id, user_id, provider, status, records_count, lease_owner, lease_until)"
          + " VALUES (" + CONNECTION + ", 1, 'github', 'active', 5, 'node-a', TIMESTAMP WITH TIME ZONE '2030-01-01 00:03:00+00')");
    }
    health = new ConnectionHealth();
    health.dataSource = ds;
    health.clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    health.backoffBaseMinutes = 15;
    health.backoffMaxMinutes = 720;
  }

  /** An outcome that had stored one record (updated) in an earlier page. */
  static SyncOutcome success() {
    return new SyncOutcome(CONNECTION, "github", "success", 0, 1, 0, 2, 120, null, null);
  }

  static RecordBatch page() {
    return new RecordBatch()
        .upsert(RecordStoreBehaviour.repo("1", "one"))
        .upsert(RecordStoreBehaviour.repo("2", "two"))
        .cursor("repos.since", "2030-01-01T00:00:00Z");
  }

  @Test
  void thePageAndTheOutcomeAreWrittenTogether() throws Exception {
    StoreResult written = health.record(success(), 11L, "node-a", page());

    assertEquals(new StoreResult(2, 0, 0), written);
    assertEquals(2, count("SELECT COUNT(*) FROM synced_records WHERE connection_id = 7"));
    assertEquals("2030-01-01T00:00:00Z", text("SELECT cursor_value FROM sync_cursors WHERE connection_id = 7 AND name = 'repos.since'"));
    assertEquals(7, count("SELECT records_count FROM connections"), "5 before, 2 added");
    assertEquals(3, count("SELECT last_records_changed FROM connections"), "1 in an earlier page, 2 in this one");
    assertEquals(11, count("SELECT last_run_execution FROM connections"));
    assertEquals("success", text("SELECT last_outcome FROM connections"));
    assertNull(text("SELECT lease_owner FROM connections"), "the lease is released");
  }

  @Test
  void aRetryAfterALostAnswerCountsNothingTwice() throws Exception {
    health.record(success(), 11L, "node-a", page());
    // The commit went through but its answer was lost: the caller records again.
    StoreResult again = health.record(success(), 11L, "node-a", page());

    assertEquals(StoreResult.NONE, again, "the records are there, unchanged");
    assertEquals(2, count("SELECT COUNT(*) FROM synced_records"));
    assertEquals(7, count("SELECT records_count FROM connections"));
    assertEquals(3, count("SELECT last_records_changed FROM connections"));
  }

  @Test
  void aFailureOutcomeKeepsThePageFetchedBeforeIt() throws Exception {
    SyncOutcome failed = new SyncOutcome(CONNECTION, "github", "failure", 0, 0, 0, 2, 120, "HTTP 502", null);
    assertEquals(new StoreResult(2, 0, 0), health.record(failed, 11L, "node-a", page()));

    assertEquals(2, count("SELECT COUNT(*) FROM synced_records"));
    assertEquals(1, count("SELECT consecutive_failures FROM connections"));
    assertEquals("HTTP 502", text("SELECT last_error FROM connections"));
    assertEquals(7, count("SELECT records_count FROM connections"));
  }

  @Test
  void aPageThePostgresqlRefusesWritesNothingAndKeepsTheLease() throws Exception {
    RecordBatch bad = page().upsert(new io.tributary.providers.SyncedRecord(
        "k".repeat(40), "3", "too long a kind", null, null, "{}"));

    assertThrows(IllegalStateException.class, () -> health.record(success(), 11L, "node-a", bad));

    assertEquals(0, count("SELECT COUNT(*) FROM synced_records"));
    assertEquals(0, count("SELECT COUNT(*) FROM sync_cursors"), "the cursor moves only with its records");
    assertEquals("node-a", text("SELECT lease_owner FROM connections"));
    // What ConnectionSync does next: the outcome alone.
    health.record(success(), 11L, "node-a", null);
    assertNull(text("SELECT lease_owner FROM connections"));
  }

  private long count(String sql) throws Exception {
    return POSTGRES.database().count(sql);
  }

  private String text(String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
