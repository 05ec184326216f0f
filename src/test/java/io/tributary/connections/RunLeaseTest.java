package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.testing.Databases;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import io.tributary.testing.RunFixture;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A connection the run has synced is not leased for that run again, whatever stale list a caller holds. */
class RunLeaseTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  DataSource ds;
  ConnectionStore connections;
  long execution;

  @BeforeEach
  void setUp() throws Exception {
    ds = POSTGRES.dataSource();
    execution = RunFixture.threeConnectionsAndARunningExecution(ds);
    MutableClock clock = new MutableClock(NOW);
    connections = new ConnectionStore();
    connections.dataSource = ds;
    connections.clock = clock;
    connections.leaseClock = clock;
    connections.dialect = Databases.dialect(ds);
  }

  @Test
  void aConnectionTheRunHasSyncedIsNotLeasedForItAgain() throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("UPDATE connections SET last_run_execution = " + execution + " WHERE id = 1");
    }
    Instant until = NOW.plusSeconds(180);

    assertEquals(Optional.empty(), connections.leaseAndLoad(1, "node-a", until, execution).map(x -> x.id()),
        "synced by this run already (a dispatcher's list of it was stale)");
    assertEquals(Optional.of(2L), connections.leaseAndLoad(2, "node-a", until, execution).map(x -> x.id()));
    assertEquals(Optional.of(1L), connections.leaseAndLoad(1, "node-a", until, execution + 1).map(x -> x.id()),
        "the next run syncs it");
    assertEquals(Optional.of(3L), connections.leaseAndLoad(3, "node-a", until, null).map(x -> x.id()),
        "a sync now outside any run");
  }

  @Test
  void aBatchLeasesOnlyWhatIsFreeActiveAndNotYetSyncedByTheRunWithItsCursors() throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("UPDATE connections SET last_run_execution = " + execution + " WHERE id = 1");
      s.execute("UPDATE connections SET lease_owner = 'node-b', lease_until = TIMESTAMP WITH TIME ZONE '2026-01-15 10:05:00+00' WHERE id = 2");
      s.execute("INSERT INTO sync_cursors (connection_id, name, cursor_value) VALUES (3, 'issues', 'c-3'), (3, 'repos', 'r-3')");
      s.execute("INSERT INTO app_users (id, external_id) VALUES (4, 'u4')");
      s.execute("INSERT INTO connections (id, user_id, provider, status, access_token_enc) VALUES (4, 4, 'github', 'disabled', 'x')");
    }
    Instant until = NOW.plusSeconds(180);

    List<StoredConnection> leased = connections.leaseAndLoadAll(List.of(1L, 2L, 3L, 4L, 99L), "node-a", until, execution);
    assertEquals(List.of(3L), leased.stream().map(StoredConnection::id).toList(),
        "1 is synced by this run, 2 is node-b's, 4 is disabled, 99 does not exist");
    assertEquals(Map.of("issues", "c-3", "repos", "r-3"), leased.get(0).cursors());
    assertEquals("node-a", leaseOwner(3));
    assertEquals(List.of(), connections.leaseAndLoadAll(List.of(3L), "node-b", until, execution), "leased once");

    connections.releaseLeases(List.of(2L, 3L), "node-a");
    assertNull(leaseOwner(3), "node-a gives its unused lease back");
    assertEquals("node-b", leaseOwner(2), "and not node-b's");
    assertEquals(List.of(3L), connections.leaseAndLoadAll(List.of(3L), "node-b", until, execution).stream().map(StoredConnection::id).toList());
  }

  private String leaseOwner(long id) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT lease_owner FROM connections WHERE id = " + id)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
