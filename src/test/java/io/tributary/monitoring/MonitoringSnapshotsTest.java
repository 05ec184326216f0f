package io.tributary.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tributary.testing.MutableClock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MonitoringSnapshotsTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  final AtomicInteger computed = new AtomicInteger();
  volatile CountDownLatch gate = new CountDownLatch(0);
  volatile RuntimeException failure;
  /** Counted down when a computation starts, before it waits at the gate. */
  volatile CountDownLatch entered = new CountDownLatch(0);

  MonitoringSnapshots snapshots(long millis) {
    MonitoringSnapshots s = new MonitoringSnapshots();
    s.clock = clock;
    s.cacheMillis = millis;
    s.report =
        new MonitoringReport() {
          @Override
          public JsonObject report(int hours) {
            entered.countDown();
            try {
              gate.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            if (failure != null) {
              throw failure;
            }
            return Json.createObjectBuilder().add("hours", hours).add("n", computed.incrementAndGet()).build();
          }
        };
    s.init();
    return s;
  }

  @Test
  void oneComputationPerWindowPerPeriod() {
    MonitoringSnapshots s = snapshots(1000);
    assertEquals("{\"hours\":24,\"n\":1}", s.json(24));
    clock.advance(Duration.ofMillis(999));
    assertEquals("{\"hours\":24,\"n\":1}", s.json(24), "still fresh");
    assertEquals("{\"hours\":48,\"n\":2}", s.json(48), "each window has its own snapshot");
    clock.advance(Duration.ofMillis(1));
    assertEquals("{\"hours\":24,\"n\":3}", s.json(24), "a second later it is made again");
  }

  @Test
  void aClockSetBackDoesNotServeASnapshotFromTheFuture() {
    MonitoringSnapshots s = snapshots(1000);
    s.json(24);
    clock.advance(Duration.ofMinutes(-5));
    assertEquals("{\"hours\":24,\"n\":2}", s.json(24));
  }

  @Test
  void zeroTurnsTheCacheOff() {
    MonitoringSnapshots s = snapshots(0);
    s.json(24);
    s.json(24);
    assertEquals(2, computed.get());
  }

  @Test
  void concurrentRequestsWaitForOneComputation() throws Exception {
    MonitoringSnapshots s = snapshots(1000);
    gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> s.json(24)));
      }
      Thread.sleep(100); // let the eight requests arrive while the first computation is held
      gate.countDown();
      for (Future<String> f : answers) {
        assertEquals("{\"hours\":24,\"n\":1}", f.get());
      }
      assertEquals(1, computed.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedComputationIsNotCached() {
    MonitoringSnapshots s = snapshots(1000);
    failure = new IllegalStateException("database down");
    assertThrows(IllegalStateException.class, () -> s.json(24));
    failure = null;
    assertEquals("{\"hours\":24,\"n\":1}", s.json(24));
  }

  @Test
  void whileOneRequestRemakesTheSnapshotTheOthersGetThePreviousOne() throws Exception {
    MonitoringSnapshots s = snapshots(1000);
    assertEquals("{\"hours\":24,\"n\":1}", s.json(24));
    clock.advance(Duration.ofMillis(1500));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> remaking = holdNextComputation(pool, s);
      // Preemptive timeout: were it to wait for the held computation, the test would fail, not hang.
      assertEquals("{\"hours\":24,\"n\":1}", assertTimeoutPreemptively(Duration.ofSeconds(10), () -> s.json(24)), "the previous snapshot, at once");
      assertEquals(1, computed.get(), "no second computation");
      gate.countDown();
      assertEquals("{\"hours\":24,\"n\":2}", remaking.get(), "the request that found it expired waits for the new one");
      assertEquals("{\"hours\":24,\"n\":2}", s.json(24));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSnapshotTooOldIsNotServedWhileItIsRemade() throws Exception {
    MonitoringSnapshots s = snapshots(1000);
    s.json(24);
    clock.advance(Duration.ofMillis(1000).plus(io.tributary.platform.SingleFlightCache.STALE_GRACE));
    assertWaitsForTheNewSnapshot(s);
  }

  @Test
  void aFailedRemakeDropsThePreviousSnapshot() throws Exception {
    MonitoringSnapshots s = snapshots(1000);
    s.json(24);
    clock.advance(Duration.ofMillis(1500));
    failure = new IllegalStateException("database down");
    assertThrows(IllegalStateException.class, () -> s.json(24));
    failure = null;
    assertWaitsForTheNewSnapshot(s);
  }

  /** A request that starts remaking the snapshot and waits at the gate until the test opens it. */
  private Future<String> holdNextComputation(ExecutorService pool, MonitoringSnapshots s) throws InterruptedException {
    gate = new CountDownLatch(1);
    entered = new CountDownLatch(1);
    Future<String> remaking = pool.submit(() -> s.json(24));
    entered.await();
    return remaking;
  }

  /** While one request remakes the snapshot, another waits for it rather than get the previous one. */
  private void assertWaitsForTheNewSnapshot(MonitoringSnapshots s) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      int before = computed.get();
      Future<String> remaking = holdNextComputation(pool, s);
      Thread[] waiter = new Thread[1];
      Future<String> other =
          pool.submit(
              () -> {
                waiter[0] = Thread.currentThread();
                return s.json(24);
              });
      while (waiter[0] == null || waiter[0].getState() != Thread.State.WAITING) {
        Thread.onSpinWait(); // until the second request is parked on the computation
      }
      assertFalse(other.isDone(), "it waits");
      gate.countDown();
      String made = remaking.get();
      assertEquals(made, other.get(), "and gets the new snapshot");
      assertEquals(before + 1, computed.get(), "made once");
    } finally {
      pool.shutdownNow();
    }
  }
}
