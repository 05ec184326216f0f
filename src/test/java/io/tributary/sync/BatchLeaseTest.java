package io.tributary.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.connections.ConnectionStatus;
import io.tributary.connections.ConnectionSync;
import io.tributary.connections.StoredConnection;
import io.tributary.providers.Provider;
import io.tributary.testing.MutableClock;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** How the engine feeds its workers from leases taken a batch at a time (SyncEngine.nextLeased). */
class BatchLeaseTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
  final List<List<Long>> leaseCalls = new ArrayList<>();
  final List<List<Long>> released = new ArrayList<>();
  /** Ids the fake database will not lease (busy elsewhere, or synced already). */
  Set<Long> notLeasable = Set.of();
  boolean databaseDown;

  final ConnectionSync fakeSync =
      new ConnectionSync() {
        @Override
        public List<StoredConnection> leaseForRun(List<Long> ids, long executionId, String leaseOwner) {
          leaseCalls.add(List.copyOf(ids));
          if (databaseDown) {
            throw new IllegalStateException(new SQLTransientConnectionException("connection refused"));
          }
          return ids.stream().filter(id -> !notLeasable.contains(id)).map(BatchLeaseTest::connection).toList();
        }

        @Override
        public void releaseLeases(Collection<Long> ids, String leaseOwner) {
          released.add(List.copyOf(ids));
        }
      };

  final SyncEngine engine = new SyncEngine();
  final WorkQueue.Chunk chunk = new WorkQueue.Chunk(7, 1, Provider.GITHUB, 1, 40);
  final SyncEngine.Batch batch = new SyncEngine.Batch();
  final AtomicInteger troubled = new AtomicInteger();

  BatchLeaseTest() {
    engine.connectionSync = fakeSync;
    engine.leaseClock = clock;
  }

  static StoredConnection connection(long id) {
    return new StoredConnection(id, id, Provider.GITHUB, ConnectionStatus.ACTIVE, "x", null, null, 0, 0, Map.of());
  }

  static Deque<Long> ids(long from, long to) {
    return new ArrayDeque<>(LongStream.rangeClosed(from, to).boxed().toList());
  }

  long next(Deque<Long> pending) {
    StoredConnection c = engine.nextLeased(chunk, pending, batch, troubled, "node-a");
    return c == null ? -1 : c.id();
  }

  @Test
  void connectionsAreLeasedABatchAtATimeSkippingThoseNotLeased() {
    Deque<Long> pending = ids(1, 40);
    notLeasable = Set.of(2L, 17L);
    List<Long> synced = new ArrayList<>();
    for (long id; (id = next(pending)) != -1; ) {
      synced.add(id);
    }
    assertEquals(LongStream.rangeClosed(1, 40).filter(id -> id != 2 && id != 17).boxed().toList(), synced);
    assertEquals(3, leaseCalls.size(), "40 connections in batches of " + SyncEngine.LEASE_BATCH);
    assertEquals(List.of(), released);
  }

  @Test
  void aBatchThatWaitedTooLongForWorkersIsGivenBackAndLeasedAfresh() {
    Deque<Long> pending = ids(1, 40);
    assertEquals(1, next(pending));
    assertEquals(2, next(pending));
    clock.advance(ConnectionSync.BATCH_LEASE_USABLE.plus(Duration.ofMillis(1)));

    assertEquals(3, next(pending), "the same connection next, on a fresh lease");
    assertEquals(List.of(LongStream.rangeClosed(3, 16).boxed().toList()), released);
    assertEquals(LongStream.rangeClosed(3, 18).boxed().toList(), leaseCalls.get(1));
  }

  @Test
  void whenTheDatabaseIsDownThePassEndsWithEveryConnectionLeftCountedForARetry() {
    Deque<Long> pending = ids(1, 40);
    databaseDown = true;
    assertNull(engine.nextLeased(chunk, pending, batch, troubled, "node-a"));
    assertEquals(40, troubled.get());
    assertEquals(1, leaseCalls.size(), "one failed lease, not one pool timeout per batch");
    assertEquals(0, pending.size());
  }
}
