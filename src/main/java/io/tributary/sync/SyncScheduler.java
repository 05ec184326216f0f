package io.tributary.sync;

import io.tributary.platform.InstanceIdentity;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The EJB timer that drives syncing. Every five seconds, on every instance:
 *
 * <ol>
 *   <li>runs that lost their instance (no heartbeat for the lease timeout) are marked interrupted;
 *   <li>for each scheduled job, the latest slot of its cron schedule that has no run yet is started
 *       (the database's unique slot key decides which instance, if several try); after downtime that
 *       is one catch-up run, not a replay of every missed slot, and the slots missed are recorded;
 *       slots only move forward: a clock set back starts nothing until it passes the latest slot run;
 *   <li>this instance joins any running execution with work left.
 * </ol>
 *
 * Non-persistent: Payara does not coordinate timers across instances anyway; the database does.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// No transaction around the tick: each step commits on its own, so a tick never holds table locks.
@TransactionManagement(TransactionManagementType.BEAN)
public class SyncScheduler {

  private static final Logger LOG = Logger.getLogger(SyncScheduler.class.getName());
  /** A slot started this late is a catch-up, not an on-time run. */
  static final Duration ON_TIME = Duration.ofMinutes(2);

  @Inject SyncEngine engine;
  @Inject ExecutionLog log;
  @Inject WorkQueue queue;
  @Inject SyncSettings settings;
  @Inject InstanceIdentity instance;
  @Inject Clock clock;

  private final AtomicBoolean ticking = new AtomicBoolean();
  /** The slot a "clock is behind" warning was last logged for, per job: once per slot, not every tick. */
  private final Map<SyncJob, Instant> behindWarned = new ConcurrentHashMap<>();

  @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false, info = "tributary-sync-tick")
  void timer() {
    if (!ticking.compareAndSet(false, true)) {
      return; // a slow tick is still running: skip, never pile up
    }
    try {
      tick(clock.instant());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Sync scheduler tick failed (will retry in 5 s)", e);
    } finally {
      ticking.set(false);
    }
  }

  void tick(Instant now) {
    for (long id : engine.participatingIn()) {
      log.heartbeat(id);
    }
    for (long id : log.stale(settings.leaseTimeout())) {
      LOG.warning("Execution " + id + " lost its instance (no heartbeat): marking it interrupted");
      log.finish(id, "interrupted", "interrupted: the instance running it stopped before it finished", instance.id());
    }
    for (SyncJob job : List.of(SyncJob.FIFTEEN_MINUTES, SyncJob.THIRTY_MINUTES)) {
      startDueSlot(job, now);
    }
    for (long id : queue.executionsWithWork()) {
      engine.participate(id);
    }
  }

  /** Starts the job's latest slot if no run has claimed it; returns the execution id if started. */
  Optional<Long> startDueSlot(SyncJob job, Instant now) {
    Optional<Instant> slot = settings.latestSlot(job, now);
    if (slot.isEmpty() || settings.providers(job).isEmpty() || log.slotRan(job, slot.get())) {
      return Optional.empty();
    }
    Optional<Instant> last = log.lastScheduledSlot(job);
    if (last.isPresent() && !slot.get().isAfter(last.get())) {
      // This clock is behind a slot that already ran (it was set back, or runs behind another
      // instance's): slots only move forward, so wait for it to pass that slot instead of running
      // earlier slots, possibly again.
      if (!slot.get().equals(behindWarned.put(job, slot.get()))) {
        LOG.warning(job.jobName() + ": the clock (" + now + ") is behind the latest scheduled slot " + last.get()
            + "; no slot is started until it passes that one (clock set back?)");
      }
      return Optional.empty();
    }
    int missed = last.map(l -> settings.slotsBetween(job, l, slot.get(), 100_000).size()).orElse(0);
    String trigger = slot.get().isBefore(now.minus(ON_TIME)) || missed > 0 ? "catch_up" : "schedule";
    try {
      long id = engine.start(job, trigger, slot.get(), null, missed);
      if (missed > 0) {
        LOG.warning(job.jobName() + ": " + missed + " scheduled slot(s) were missed (service down?); ran one catch-up run, execution " + id);
      }
      return Optional.of(id);
    } catch (ExecutionLog.NotStarted e) {
      return Optional.empty(); // another instance took the slot, or the job is still running
    }
  }
}
