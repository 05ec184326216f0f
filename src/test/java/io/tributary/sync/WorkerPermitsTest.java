package io.tributary.sync;

import static io.tributary.providers.Provider.GITHUB;
import static io.tributary.providers.Provider.NOTION;
import static io.tributary.providers.Provider.SLACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-provider cap holds while another provider waits, and idles no worker when none does. */
class WorkerPermitsTest {

  private final ExecutorService dispatchers = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    dispatchers.shutdownNow();
  }

  @Test
  void aProviderAloneUsesEveryWorkerBeyondItsCap() throws Exception {
    WorkerPermits permits = new WorkerPermits(8, 6);
    List<WorkerPermits.Permit> held = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      held.add(permits.acquire(GITHUB));
    }
    assertEquals(8, permits.inUse(GITHUB));
    assertEquals(0, permits.free());
    held.forEach(WorkerPermits.Permit::release);
    assertEquals(8, permits.free());
    assertEquals(0, permits.inUse(GITHUB));
  }

  @Test
  void neverMoreThanTheConcurrencyInAll() throws Exception {
    WorkerPermits permits = new WorkerPermits(2, 2);
    permits.acquire(GITHUB);
    permits.acquire(NOTION);
    CompletableFuture<WorkerPermits.Permit> third = acquireAsync(permits, SLACK);
    awaitWaiters(permits, 1);
    assertFalse(third.isDone());
  }

  @Test
  void aFreedWorkerGoesToTheProviderBelowItsCapNotToTheBorrower() throws Exception {
    WorkerPermits permits = new WorkerPermits(4, 2);
    WorkerPermits.Permit a1 = permits.acquire(GITHUB);
    permits.acquire(GITHUB);
    permits.acquire(GITHUB); // borrowed: nobody else waits
    permits.acquire(GITHUB); // borrowed
    assertEquals(4, permits.inUse(GITHUB));

    // Notion arrives below its cap and waits; GitHub, above its cap, asks too.
    CompletableFuture<WorkerPermits.Permit> notion = acquireAsync(permits, NOTION);
    awaitWaiters(permits, 1);
    CompletableFuture<WorkerPermits.Permit> github = acquireAsync(permits, GITHUB);
    awaitWaiters(permits, 2);

    a1.release();
    WorkerPermits.Permit n = notion.get(10, TimeUnit.SECONDS);
    assertEquals(1, permits.inUse(NOTION));
    assertEquals(3, permits.inUse(GITHUB));
    assertFalse(github.isDone(), "GitHub is at its cap and may not borrow while Notion wants workers");
    n.release();
    // Notion wants nothing more: the free worker may be borrowed again.
    assertTrue(github.get(10, TimeUnit.SECONDS) != null);
    assertEquals(4, permits.inUse(GITHUB));
  }

  @Test
  void theCapHoldsWhileAnotherProviderWaits() throws Exception {
    WorkerPermits permits = new WorkerPermits(4, 2);
    WorkerPermits.Permit g1 = permits.acquire(GITHUB);
    WorkerPermits.Permit g2 = permits.acquire(GITHUB);
    permits.acquire(NOTION);
    permits.acquire(NOTION);
    CompletableFuture<WorkerPermits.Permit> slack = acquireAsync(permits, SLACK);
    awaitWaiters(permits, 1);
    // GitHub gives one back and asks again: both are below their cap now, so whichever takes the
    // free worker, the other keeps waiting and nobody exceeds the cap.
    g1.release();
    CompletableFuture<WorkerPermits.Permit> github = acquireAsync(permits, GITHUB);
    CompletableFuture.anyOf(slack, github).get(10, TimeUnit.SECONDS);
    assertTrue(permits.inUse(GITHUB) <= 2);
    assertEquals(0, permits.free());
    g2.release();
    CompletableFuture.allOf(slack, github).get(10, TimeUnit.SECONDS);
    assertEquals(1, permits.inUse(GITHUB));
    assertEquals(2, permits.inUse(NOTION));
    assertEquals(1, permits.inUse(SLACK));
    assertEquals(0, permits.free());
  }

  private CompletableFuture<WorkerPermits.Permit> acquireAsync(WorkerPermits permits, Provider provider) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return permits.acquire(provider);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        dispatchers);
  }

  /** Until {@code n} dispatchers are parked waiting for a worker. */
  private static void awaitWaiters(WorkerPermits permits, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (permits.waiters() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + n + " waiting dispatchers, have " + permits.waiters());
      }
      Thread.onSpinWait();
    }
  }
}
