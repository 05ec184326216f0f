package io.tributary.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.testing.Databases;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import io.tributary.testing.RunFixture;
import java.sql.Connection;
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
}
