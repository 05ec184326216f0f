package io.tributary.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

  MonitoringSnapshots snapshots(long millis) {
    MonitoringSnapshots s = new MonitoringSnapshots();
    s.clock = clock;
    s.cacheMillis = millis;
    s.report =
        new MonitoringReport() {
          @Override
          public JsonObject report(int hours) {
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
}
