package io.tributary.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.MapConfig;
import io.tributary.testing.MigratedPostgresql;
import io.tributary.testing.MutableClock;
import io.tributary.testing.ThreadBoundTransactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Once per slot, no overlap, catch-up after downtime: the scheduler's decisions against a real
 * PostgreSQL, with time moved by hand. The engine's work itself is left out (a stub records starts).
 */
class SchedulingTest {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();
  ThreadBoundTransactions tx;
  MutableClock clock;
  ExecutionLog log;
  SyncSettings settings;
  SyncScheduler scheduler;
  final List<String> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE execution_chunks, cron_job_executions CASCADE");
      s.execute("UPDATE sync_job_locks SET execution_id = NULL");
    }
    tx = new ThreadBoundTransactions(POSTGRES.dataSource());
    clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    log = new ExecutionLog();
    log.dataSource = tx;
    log.clock = clock;
    log.leaseClock = clock;
    settings = new SyncSettings();
    settings.config = new MapConfig();
    settings.load();
    SyncEngine engine =
        new SyncEngine() {
          @Override
          public long start(SyncJob job, String trigger, Instant slot, String key, int missed) {
            try {
              long id = tx.inTransaction(() -> SchedulingTest.this.log.start(job, trigger, slot, key, missed, "test-instance"));
              started.add(job.jobName() + " " + trigger + " " + slot + " missed=" + missed);
              return id;
            } catch (ExecutionLog.NotStarted e) {
              throw e;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        };
    scheduler = new SyncScheduler();
    scheduler.engine = engine;
    scheduler.log = log;
    scheduler.settings = settings;
    scheduler.clock = clock;
  }

  void finishAll() throws Exception {
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("UPDATE cron_job_executions SET status = 'success' WHERE status = 'running'");
      s.execute("UPDATE sync_job_locks SET execution_id = NULL");
    }
  }

  int rows(String where) throws Exception {
    try (Connection c = POSTGRES.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cron_job_executions WHERE " + where)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void theSeedsSchedulesRouteProvidersToTheirJobs() {
    assertEquals(java.util.Set.of(io.tributary.providers.Provider.GITHUB), settings.providers(SyncJob.FIFTEEN_MINUTES));
    assertEquals(3, settings.providers(SyncJob.THIRTY_MINUTES).size());
    assertEquals(4, settings.providers(SyncJob.ALL).size());
    assertEquals(Optional.of(Duration.ofMinutes(15)), settings.period(SyncJob.FIFTEEN_MINUTES, clock.instant()));
    assertEquals(Optional.of(Instant.parse("2026-01-15T10:00:00Z")), settings.latestSlot(SyncJob.THIRTY_MINUTES, Instant.parse("2026-01-15T10:29:59Z")));
    assertEquals(Optional.of(Instant.parse("2026-01-15T10:30:00Z")), settings.latestSlot(SyncJob.THIRTY_MINUTES, Instant.parse("2026-01-15T10:30:00Z")));
  }

  @Test
  void sixFieldSchedulesHaveSecondSlots() {
    SyncSettings fast = new SyncSettings();
    fast.config = new MapConfig().with("sync.schedule.15min", "*/10 * * * * *");
    fast.load();
    assertEquals(Optional.of(Instant.parse("2026-01-15T10:00:20Z")), fast.latestSlot(SyncJob.FIFTEEN_MINUTES, Instant.parse("2026-01-15T10:00:27Z")));
    assertEquals(Optional.of(Duration.ofSeconds(10)), fast.period(SyncJob.FIFTEEN_MINUTES, clock.instant()));
    assertEquals(3, fast.slotsBetween(SyncJob.FIFTEEN_MINUTES, Instant.parse("2026-01-15T10:00:00Z"), Instant.parse("2026-01-15T10:00:40Z"), 100).size());
  }

  @Test
  void malformedSchedulesAreRefusedWithTheVariableNamed() {
    SyncSettings bad = new SyncSettings();
    bad.config = new MapConfig().with("sync.schedule.30min", "every half hour");
    IllegalStateException e = assertThrows(IllegalStateException.class, bad::load);
    assertTrue(e.getMessage().startsWith("sync.schedule.30min is not a cron expression"), e.getMessage());
  }

  @Test
  void aTimerFiringTwiceForOneSlotStartsOneRun() throws Exception {
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent());
    finishAll();
    // The same slot again (a second timer, or a second instance): nothing starts.
    assertFalse(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant().plusSeconds(5)).isPresent());
    ExecutionLog.NotStarted e =
        assertThrows(
            ExecutionLog.NotStarted.class,
            () -> tx.inTransaction(() -> log.start(SyncJob.FIFTEEN_MINUTES, "schedule", clock.instant(), null, 0, "other")));
    assertTrue(e.slotTaken);
    assertEquals(1, rows("job_name = 'sync-integrations-15min'"));
    assertEquals(0, rows("status = 'running'"), "the refused start left no lock behind");
  }

  @Test
  void instancesRacingForOneSlotInsertOneRow() throws Exception {
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      String instance = "instance-" + i;
      results.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  tx.inTransaction(() -> log.start(SyncJob.THIRTY_MINUTES, "schedule", clock.instant(), null, 0, instance));
                  return true;
                } catch (ExecutionLog.NotStarted e) {
                  return false;
                }
              }));
    }
    go.countDown();
    int winners = 0;
    for (Future<Boolean> f : results) {
      winners += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, winners);
    assertEquals(1, rows("job_name = 'sync-integrations-30min'"));
  }

  @Test
  void aJobStillRunningBlocksItsNextStartAndNamesTheRunningExecution() throws Exception {
    long first = tx.inTransaction(() -> log.start(SyncJob.ALL, "manual", clock.instant(), null, 0, "a"));
    ExecutionLog.NotStarted busy =
        assertThrows(ExecutionLog.NotStarted.class, () -> tx.inTransaction(() -> log.start(SyncJob.ALL, "manual", clock.instant().plusMillis(1), null, 0, "b")));
    assertEquals(first, busy.runningExecutionId);
    assertFalse(busy.slotTaken);
    // Other jobs are not blocked by it.
    tx.inTransaction(() -> log.start(SyncJob.FIFTEEN_MINUTES, "manual", clock.instant(), null, 0, "a"));
  }

  @Test
  void afterDowntimeOneCatchUpRunRecordsTheMissedSlots() throws Exception {
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent());
    finishAll();
    // Down from 10:05 to 11:07: slots 10:15, 10:30, 10:45 were missed; 11:00 is the latest.
    clock.set(Instant.parse("2026-01-15T11:07:00Z"));
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent());
    assertEquals(
        List.of(
            "sync-integrations-15min schedule 2026-01-15T10:00:00Z missed=0",
            "sync-integrations-15min catch_up 2026-01-15T11:00:00Z missed=3"),
        started);
    assertEquals(2, rows("job_name = 'sync-integrations-15min'"), "one catch-up run, not a replay");
  }

  @Test
  void aSlotComingDuringARunningRunIsStartedOnceTheRunEnds() throws Exception {
    scheduler.startDueSlot(SyncJob.THIRTY_MINUTES, clock.instant());
    clock.set(Instant.parse("2026-01-15T10:30:02Z"));
    assertFalse(scheduler.startDueSlot(SyncJob.THIRTY_MINUTES, clock.instant()).isPresent(), "still running");
    finishAll();
    clock.advance(Duration.ofSeconds(5));
    assertTrue(scheduler.startDueSlot(SyncJob.THIRTY_MINUTES, clock.instant()).isPresent());
  }

  @Test
  void aClockSetBackStartsNoEarlierSlotUntilItPassesTheLatestSlotRun() throws Exception {
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent()); // 10:00
    finishAll();
    clock.set(Instant.parse("2026-01-15T10:15:01Z"));
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent()); // 10:15
    finishAll();
    // Set back by an hour: 09:15, 09:30 and 09:45 never ran here, yet none of them is started.
    clock.set(Instant.parse("2026-01-15T09:20:00Z"));
    for (int tick = 0; tick < 12; tick++) {
      assertFalse(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent(), "tick " + tick);
      clock.advance(Duration.ofMinutes(5));
    }
    // 10:20: still not past 10:15. At 10:30 the schedule goes on, on time, with nothing missed.
    assertEquals(Instant.parse("2026-01-15T10:20:00Z"), clock.instant());
    assertFalse(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent());
    clock.set(Instant.parse("2026-01-15T10:30:00Z"));
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent());
    assertEquals(
        List.of(
            "sync-integrations-15min schedule 2026-01-15T10:00:00Z missed=0",
            "sync-integrations-15min schedule 2026-01-15T10:15:00Z missed=0",
            "sync-integrations-15min schedule 2026-01-15T10:30:00Z missed=0"),
        started);
  }

  @Test
  void aClockJumpingForwardMidRunStartsOneCatchUpRunAfterItCountingTheSlotsSkipped() throws Exception {
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent()); // 10:00, running
    clock.set(Instant.parse("2026-01-15T12:03:00Z")); // jumps two hours while the 10:00 run is going
    assertFalse(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent(), "the run still holds the job");
    finishAll();
    assertTrue(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent());
    assertFalse(scheduler.startDueSlot(SyncJob.FIFTEEN_MINUTES, clock.instant()).isPresent(), "the slot ran");
    assertEquals(
        List.of(
            "sync-integrations-15min schedule 2026-01-15T10:00:00Z missed=0",
            "sync-integrations-15min catch_up 2026-01-15T12:00:00Z missed=7"),
        started);
  }
}
