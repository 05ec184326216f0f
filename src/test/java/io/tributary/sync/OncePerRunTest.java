package io.tributary.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.Provider;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run syncs each connection once, however its work is dispatched: several dispatchers of one
 * instance never share a chunk (and the connection's lease refuses a second sync in one run: {@code
 * RunLeaseTest}).
 */
class OncePerRunTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  DataSource ds;
  WorkQueue queue;
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
    queue = new WorkQueue();
    queue.dataSource = ds;
    queue.clock = clock;
    queue.leaseClock = clock;
  }

  @Test
  void aChunkHeldByOneDispatcherIsNotClaimedByAnotherOfTheSameInstance() {
    assertEquals(2, queue.plan(execution, Set.of(Provider.GITHUB), 2));
    Instant until = NOW.plusSeconds(120);

    WorkQueue.Chunk first = queue.claim(execution, Provider.GITHUB, "node-a", until, Set.of()).orElseThrow();
    WorkQueue.Chunk second = queue.claim(execution, Provider.GITHUB, "node-a", until, Set.of(first.id())).orElseThrow();
    assertTrue(second.id() != first.id(), "the second dispatcher gets the other chunk");
    assertEquals(Optional.empty(), queue.claim(execution, Provider.GITHUB, "node-a", until, Set.of(first.id(), second.id())));

    // A dispatcher that failed let go of its chunk: this instance takes it back at once.
    assertEquals(first.id(), queue.claim(execution, Provider.GITHUB, "node-a", until, Set.of(second.id())).orElseThrow().id());
  }
}
