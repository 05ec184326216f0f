package io.tributary.sync;

import io.tributary.connections.ConnectionSync;
import io.tributary.connections.StoredConnection;
import io.tributary.platform.database.DatabaseTrouble;
import io.tributary.platform.InstanceIdentity;
import io.tributary.platform.time.DatabaseTime;
import io.tributary.providers.Provider;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.concurrent.ManagedThreadFactoryDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs sync executions: starts a run (log row + work plan), and works on any running execution that
 * has chunks left, on this instance and every other one sharing the database.
 *
 * <p>Concurrency is bounded twice: {@code sync.concurrency} connection syncs at once in all, and at
 * most {@code sync.concurrency.per.provider} for one provider while another provider waits for a
 * worker, so a slow or rate-limited provider cannot take every worker ({@link WorkerPermits}). Each
 * provider of a run has {@link #DISPATCHERS_PER_PROVIDER} dispatchers, each claiming one chunk at a
 * time and submitting its connections to the sync threads as permits allow: memory holds two chunks
 * of ids per provider, whatever the number of connections.
 *
 * <p>The connection syncs themselves run on a pool of {@code sync.concurrency} threads made by a
 * managed thread factory: the application's context (naming, class loader, transactions) is set up
 * once per thread instead of captured for every task, which the managed executor does per submit
 * and which cost a twelfth of the engine's CPU in the benchmark's profile.
 */
@ManagedExecutorDefinition(name = "java:app/concurrent/sync", maxAsync = 1024)
// Below the request threads: when the two compete for CPU, the dashboards and the API stay quick and
// syncing takes what is left. The JVM applies it only with -XX:ThreadPriorityPolicy=1, and maps it to
// nice 19 with -XX:JavaPriority1_To_OSPriority=19 (README, Deploying).
@ManagedThreadFactoryDefinition(name = "java:app/concurrent/syncThreads", priority = Thread.MIN_PRIORITY)
@ApplicationScoped
public class SyncEngine {

  private static final Logger LOG = Logger.getLogger(SyncEngine.class.getName());

  @Resource(lookup = "java:app/concurrent/sync")
  ManagedExecutorService executor;

  @Resource(lookup = "java:app/concurrent/syncThreads")
  ManagedThreadFactory threadFactory;

  /** Runs connection syncs; the semaphores keep its queue short. */
  private ThreadPoolExecutor syncThreads;

  @Inject ExecutionLog log;
  @Inject WorkQueue queue;
  @Inject ConnectionSync connectionSync;
  @Inject SyncSettings settings;
  @Inject InstanceIdentity instance;
  // Leases are kept in the database's time, which all instances share (a host clock jump must not expire them).
  @Inject @DatabaseTime Clock leaseClock;

  private WorkerPermits permits;
  private final Map<Long, CompletableFuture<Void>> participating = new ConcurrentHashMap<>();
  /** Chunks this instance's dispatchers are working on (so one dispatcher never claims another's). */
  private final Set<Long> heldChunks = ConcurrentHashMap.newKeySet();

  @PostConstruct
  void init() {
    permits = new WorkerPermits(settings.concurrency(), settings.perProviderConcurrency());
    int n = settings.concurrency();
    syncThreads = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threadFactory);
    syncThreads.allowCoreThreadTimeOut(true); // no idle threads between runs
  }

  @PreDestroy
  void stop() {
    syncThreads.shutdownNow();
  }

  /**
   * Starts a run of {@code job} and begins working on it in the background.
   *
   * @throws ExecutionLog.NotStarted when the job is running already or the slot has run
   */
  public long start(SyncJob job, String trigger, Instant slot, String idempotencyKey, int missedSlots) {
    Set<Provider> providers = settings.providers(job);
    long id = log.start(job, trigger, slot, idempotencyKey, missedSlots, instance.id());
    try {
      queue.plan(id, providers, settings.chunkSize());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Planning execution " + id + " failed", e);
      log.finish(id, "failure", "the run could not be planned: " + e.getClass().getSimpleName(), instance.id());
      return id;
    }
    LOG.info(() -> "Started " + job.jobName() + " execution " + id + " (" + trigger + ", providers " + providers + ")");
    participate(id);
    return id;
  }

  /** Works on an execution's remaining chunks (once per execution per instance). */
  public CompletableFuture<Void> participate(long executionId) {
    return participating.computeIfAbsent(
        executionId,
        id ->
            CompletableFuture.runAsync(() -> work(id), executor)
                .whenComplete((v, e) -> {
                  participating.remove(id);
                  if (e != null) {
                    LOG.log(Level.SEVERE, "Working on execution " + id + " failed", e);
                  }
                }));
  }

  /** Executions this instance is working on now (for heartbeats). */
  public Set<Long> participatingIn() {
    return Set.copyOf(participating.keySet());
  }

  /** Attempts to keep working through database trouble (a restart, a failover) before giving up. */
  static final int DATABASE_RETRIES = 60;
  static final Duration DATABASE_PAUSE = Duration.ofSeconds(2);

  private void work(long executionId) {
    for (int attempt = 1; ; attempt++) {
      try {
        workOnce(executionId);
        return;
      } catch (RuntimeException e) {
        // The database went away mid-run (restart, failover, pool exhausted): this instance keeps
        // the run alive (heartbeats continue) and picks up where it was; chunks and connections
        // already done are not redone.
        if (attempt >= DATABASE_RETRIES) {
          LOG.log(Level.SEVERE, "Execution " + executionId + " failed after " + attempt + " attempts", e);
          try {
            log.finish(executionId, "failure", "the run failed: " + e.getClass().getSimpleName(), instance.id());
          } catch (RuntimeException ignored) {
            // the reaper marks it interrupted once the database is back
          }
          return;
        }
        LOG.warning("Execution " + executionId + ": " + e.getClass().getSimpleName() + " (" + e.getMessage()
            + "); retrying in " + DATABASE_PAUSE.toSeconds() + " s");
        sleep(DATABASE_PAUSE);
      }
    }
  }

  private void workOnce(long executionId) {
    Optional<ExecutionView> execution = log.find(executionId);
    if (execution.isEmpty() || !"running".equals(execution.get().status())) {
      return;
    }
    List<Provider> providers = queue.providersOf(executionId);
    boolean owner = instance.id().equals(execution.get().instanceId());
    do {
      List<CompletableFuture<Void>> dispatchers = new ArrayList<>();
      for (Provider p : providers) {
        for (int d = 0; d < DISPATCHERS_PER_PROVIDER; d++) {
          dispatchers.add(CompletableFuture.runAsync(() -> dispatch(executionId, p), executor));
        }
      }
      try {
        CompletableFuture.allOf(dispatchers.toArray(CompletableFuture[]::new)).join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      if (!owner) {
        return;
      }
      // The owner completes the run once every chunk is done, here or on other instances; chunks
      // abandoned by a dead instance come back claimable when their lease expires.
      if (queue.unfinished(executionId) > 0) {
        sleep(Duration.ofMillis(500));
      }
    } while (queue.unfinished(executionId) > 0 && stillRunning(executionId));
    log.finish(executionId, null, null, instance.id());
    log.find(executionId)
        .ifPresent(
            e -> LOG.info(() -> "Finished " + e.jobName() + " execution " + e.id() + ": " + e.status() + ", "
                + e.successCount() + " succeeded, " + e.failureCount() + " failed, " + e.durationMs() + " ms"));
  }

  private boolean stillRunning(long executionId) {
    return log.find(executionId).map(e -> "running".equals(e.status())).orElse(false);
  }

  /**
   * Dispatchers per provider, each working through its own chunks. A dispatcher waits for a chunk's
   * last syncs before it marks the chunk done and claims the next; with two, the other keeps the
   * workers busy meanwhile, instead of a lull at the end of every chunk. Memory: two chunks of ids.
   */
  static final int DISPATCHERS_PER_PROVIDER = 2;

  /** Passes over one chunk: a connection left undone (busy elsewhere) is retried. */
  static final int CHUNK_PASSES = 5;

  private void dispatch(long executionId, Provider provider) {
    Duration lease = settings.leaseTimeout();
    String me = instance.id();
    Optional<WorkQueue.Chunk> next;
    while ((next = queue.claim(executionId, provider, me, leaseClock.instant().plus(lease), heldChunks)).isPresent()) {
      WorkQueue.Chunk chunk = next.get();
      heldChunks.add(chunk.id());
      try {
        syncChunk(chunk, lease, me);
      } finally {
        heldChunks.remove(chunk.id());
      }
    }
  }

  /** Syncs a claimed chunk's connections (in passes, for those busy elsewhere) and marks it done. */
  private void syncChunk(WorkQueue.Chunk chunk, Duration lease, String me) {
    boolean lost = false;
    int troubledPasses = 0;
    for (int pass = 1; pass <= CHUNK_PASSES && !lost; pass++) {
      List<Long> todo = queue.connectionsToSync(chunk);
      if (todo.isEmpty()) {
        break;
      }
      if (pass > 1) {
        sleep(Duration.ofSeconds(1));
      }
      Pass result = syncAll(chunk, todo, lease, me);
      lost = result.lost();
      if (result.databaseTrouble() > 0) {
        // Connections the database kept from even starting (pool exhausted, connections refused)
        // are retried after a pause without using up a pass: otherwise a short outage would mark
        // the chunk done with them neither synced nor counted. Past the engine's patience the
        // whole dispatcher fails and work() takes over, as for any database failure.
        if (++troubledPasses >= DATABASE_RETRIES) {
          throw new IllegalStateException(
              "the database stayed unavailable for " + result.databaseTrouble() + " connection(s) of chunk " + chunk.id());
        }
        pass--;
        sleep(DATABASE_PAUSE);
      }
    }
    if (!lost) {
      queue.done(chunk, me);
    }
  }

  /** A pass over a chunk: whether it was taken over meanwhile, and how many syncs the database kept from starting. */
  record Pass(boolean lost, int databaseTrouble) {}

  /**
   * Connections leased in one statement ({@link ConnectionSync#leaseForRun}): one round trip and one
   * pool checkout per batch instead of per connection. Small, so a batch's last sync starts well
   * within {@link ConnectionSync#BATCH_LEASE_USABLE} of its lease.
   */
  static final int LEASE_BATCH = 16;

  /** Syncs a chunk's connections within the permits, leasing them a batch at a time. */
  private Pass syncAll(WorkQueue.Chunk chunk, List<Long> ids, Duration lease, String me) {
    Instant extended = leaseClock.instant();
    List<Future<?>> inflight = new ArrayList<>();
    AtomicInteger troubled = new AtomicInteger();
    boolean lost = false;
    Deque<Long> pending = new ArrayDeque<>(ids);
    Batch batch = new Batch();
    try {
      while (!pending.isEmpty() || !batch.leased.isEmpty()) {
        WorkerPermits.Permit permit = acquire(chunk.provider());
        StoredConnection connection;
        try {
          connection = nextLeased(chunk, pending, batch, troubled, me);
        } catch (RuntimeException e) {
          permit.release();
          throw e;
        }
        if (connection == null) {
          permit.release();
          break;
        }
        try {
          inflight.add(
              syncThreads.submit(
                  () -> {
                    try {
                      connectionSync.syncLeased(connection, chunk.executionId(), me);
                    } catch (RuntimeException e) {
                      if (DatabaseTrouble.is(e)) {
                        troubled.incrementAndGet();
                        LOG.warning("Sync of connection " + connection.id() + " could not be recorded, the database is"
                            + " unavailable (" + e.getMessage() + "); it is retried");
                      } else {
                        LOG.log(Level.WARNING, "Sync of connection " + connection.id() + " failed", e);
                      }
                    } finally {
                      permit.release();
                    }
                  }));
        } catch (RuntimeException e) {
          permit.release();
          batch.leased.addFirst(connection);
          throw e;
        }
        if (Duration.between(extended, leaseClock.instant()).compareTo(lease.dividedBy(3)) > 0) {
          if (!queue.extend(chunk, me, leaseClock.instant().plus(lease))) {
            lost = true; // presumed dead and taken over: stop feeding this chunk
            break;
          }
          extended = leaseClock.instant();
        }
      }
    } finally {
      if (!batch.leased.isEmpty()) {
        giveBack(batch.leased, me);
      }
    }
    for (Future<?> f : inflight) {
      while (true) {
        try {
          f.get(lease.toMillis() / 3, TimeUnit.MILLISECONDS);
          break;
        } catch (java.util.concurrent.TimeoutException e) {
          queue.extend(chunk, me, leaseClock.instant().plus(lease));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Pass(true, troubled.get());
        } catch (java.util.concurrent.ExecutionException e) {
          break; // logged by the task itself
        }
      }
    }
    return new Pass(lost, troubled.get());
  }

  /** Connections leased in one batch, and when. */
  static final class Batch {
    final Deque<StoredConnection> leased = new ArrayDeque<>();
    Instant leasedAt;
  }

  /**
   * The next leased connection to sync, leasing the next batch of {@code pending} when the last is
   * used up; null when nothing more of this pass can be leased. A batch that waited for workers
   * past {@link ConnectionSync#BATCH_LEASE_USABLE} is given back and leased afresh, so no sync
   * starts on a lease too short to cover it.
   */
  StoredConnection nextLeased(
      WorkQueue.Chunk chunk, Deque<Long> pending, Batch batch, AtomicInteger troubled, String me) {
    if (!batch.leased.isEmpty()
        && Duration.between(batch.leasedAt, leaseClock.instant()).compareTo(ConnectionSync.BATCH_LEASE_USABLE) > 0) {
      List<Long> stale = batch.leased.stream().map(StoredConnection::id).toList();
      connectionSync.releaseLeases(stale, me);
      batch.leased.clear();
      for (int i = stale.size() - 1; i >= 0; i--) {
        pending.addFirst(stale.get(i));
      }
    }
    while (batch.leased.isEmpty() && !pending.isEmpty()) {
      List<Long> ids = new ArrayList<>(LEASE_BATCH);
      while (ids.size() < LEASE_BATCH && !pending.isEmpty()) {
        ids.add(pending.poll());
      }
      try {
        batch.leasedAt = leaseClock.instant();
        // Those not leased are inactive, busy elsewhere or done: the next pass looks at them again.
        batch.leased.addAll(connectionSync.leaseForRun(ids, chunk.executionId(), me));
      } catch (RuntimeException e) {
        if (!DatabaseTrouble.is(e)) {
          throw e;
        }
        // The rest of the pass would fail the same way, a pool timeout each: it is retried whole
        // after a pause (syncChunk), without using up a pass.
        troubled.addAndGet(ids.size() + pending.size());
        LOG.warning(ids.size() + pending.size() + " syncs of chunk " + chunk.id()
            + " could not start, the database is unavailable (" + e.getMessage() + "); they are retried");
        pending.clear();
      }
    }
    return batch.leased.poll();
  }

  /** Leases taken and not used (the chunk was lost, or feeding it failed): released now, not left to expire. */
  private void giveBack(Deque<StoredConnection> leased, String me) {
    try {
      connectionSync.releaseLeases(leased.stream().map(StoredConnection::id).toList(), me);
    } catch (RuntimeException e) {
      LOG.warning("Could not give back " + leased.size() + " unused sync leases (" + e.getMessage()
          + "); they expire on their own");
    }
  }

  private WorkerPermits.Permit acquire(Provider provider) {
    try {
      return permits.acquire(provider);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
