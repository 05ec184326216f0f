package io.tributary.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.Provider;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import io.tributary.testing.RunFixture;
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
    execution = RunFixture.threeConnectionsAndARunningExecution(ds);
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
