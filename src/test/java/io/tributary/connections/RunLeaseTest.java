package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.platform.database.Dialect;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
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
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE execution_chunks, cron_job_executions, synced_records, sync_cursors, connections, app_users CASCADE");
      s.execute("INSERT INTO app_users (id, external_id) VALUES (1, 'u1'), (2, 'u2'), (3, 'u3')");
      s.execute("INSERT INTO connections (id, user_id, provider, status, access_token_enc)"
          + " VALUES (1, 1, 'github', 'active', 'x'), (2, 2, 'github', 'active', 'x'), (3, 3, 'github', 'active', 'x')");
      s.execute("INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at, status, instance_id)"
          + " VALUES ('sync-integrations-15min', '15min', 'manual', TIMESTAMP WITH TIME ZONE '2026-01-15 10:00:00+00',"
          + " TIMESTAMP WITH TIME ZONE '2026-01-15 10:00:00+00', 'running', 'node-a')");
      try (ResultSet rs = s.executeQuery("SELECT id FROM cron_job_executions")) {
        rs.next();
        execution = rs.getLong(1);
      }
    }
    MutableClock clock = new MutableClock(NOW);
    Dialect dialect = new Dialect();
    var field = Dialect.class.getDeclaredField("dataSource");
    field.setAccessible(true);
    field.set(dialect, ds);
    connections = new ConnectionStore();
    connections.dataSource = ds;
    connections.clock = clock;
    connections.leaseClock = clock;
    connections.dialect = dialect;
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
}
