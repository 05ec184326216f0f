package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.testing.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An attempt's outcome is recorded once, by the holder of the connection's lease. */
class ConnectionHealthTest {

  DataSource db;
  ConnectionHealth health;
  long id;

  @BeforeEach
  void setUp() throws Exception {
    db = Databases.migratedH2();
    health = new ConnectionHealth();
    health.dataSource = db;
    health.clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    health.backoffBaseMinutes = 15;
    health.backoffMaxMinutes = 720;
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO app_users (external_id) VALUES ('u')");
      s.execute("INSERT INTO connections (user_id, provider, lease_owner, lease_until)"
          + " SELECT id, 'github', 'node-a', TIMESTAMP WITH TIME ZONE '2030-01-01 00:03:00+00' FROM app_users");
      try (ResultSet rs = s.executeQuery("SELECT id FROM connections")) {
        rs.next();
        id = rs.getLong(1);
      }
    }
  }

  SyncOutcome failure() {
    return new SyncOutcome(id, "github", "failure", 0, 0, 0, 1, 10, "database unavailable", null);
  }

  @Test
  void aRecordRetriedAfterItsCommitCountsTheFailureOnce() throws Exception {
    health.record(failure(), 7L, "node-a");
    // The caller saw an error although the commit went through, and records again.
    health.record(failure(), 7L, "node-a");
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT consecutive_failures, next_attempt_at, lease_owner, last_run_execution FROM connections")) {
      rs.next();
      assertEquals(1, rs.getInt(1), "one failed attempt, one failure");
      assertNull(rs.getTimestamp(2), "no backoff after a single failure");
      assertNull(rs.getString(3), "the lease is released");
      assertEquals(7L, rs.getLong(4));
    }
  }

  @Test
  void anInstanceWhoseLeaseWasTakenOverRecordsNothing() throws Exception {
    health.record(failure(), 7L, "node-b");
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT consecutive_failures, lease_owner, last_run_execution FROM connections")) {
      rs.next();
      assertEquals(0, rs.getInt(1));
      assertEquals("node-a", rs.getString(2), "the holder's lease stays");
      assertEquals(0L, rs.getLong(3));
    }
  }
}
