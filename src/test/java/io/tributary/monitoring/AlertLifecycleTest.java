package io.tributary.monitoring;

import static io.tributary.monitoring.MonitoringFixture.FIFTEEN;
import static io.tributary.monitoring.MonitoringFixture.THIRTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.platform.database.DatabaseTrouble;
import io.tributary.testing.MapConfig;
import io.tributary.testing.MigratedPostgresql;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert rules on seeded execution histories in PostgreSQL, through the real SQL, with a moved
 * clock; and the alert lifecycle: opened once, kept while it holds, resolved after the configured
 * number of clear evaluations, surviving a restart, decided once among racing instances.
 */
class AlertLifecycleTest {

  static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();
  MonitoringFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new MonitoringFixture(POSTGRES.dataSource(), NOW, new MapConfig());
    f.reset();
  }

  Set<String> open() {
    return f.store.open().stream().map(StoredAlert::key).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  Set<String> evaluate() {
    f.evaluator.evaluate("eval-" + System.nanoTime());
    return open();
  }

  /** Runs of the 15-minute job a minute apart, ending a minute before now, by status letter. */
  void history(String statuses) throws Exception {
    history(statuses, 60_000);
  }

  void history(String statuses, long durationMs) throws Exception {
    int n = statuses.length();
    for (int i = 0; i < n; i++) {
      String status =
          switch (statuses.charAt(i)) {
            case 'F' -> "failure";
            case 'I' -> "interrupted";
            case 'P' -> "partial";
            case 'R' -> "running";
            default -> "success";
          };
      f.run(FIFTEEN, NOW.minus(Duration.ofMinutes(n - i)), status, durationMs);
    }
  }

  // --- high failure rate -------------------------------------------------------------------

  @Test
  void fourFailedOfFourIsNotEnoughExecutionsButFourOfFiveIs() throws Exception {
    history("FFSF"); // 3 of 4 failed, streak 1
    assertEquals(Set.of(), evaluate());
    f.run(FIFTEEN, NOW.minusSeconds(30), "failure", 60_000); // FFSFF: 4 of 5, streak 2
    assertEquals(Set.of("high_failure_rate:" + FIFTEEN), evaluate());
    StoredAlert a = f.store.open().get(0);
    assertEquals(0.8, a.observedValue(), 1e-9);
    assertEquals(NOW.minus(Duration.ofMinutes(4)), a.since(), "since the first failure in the window");
  }

  @Test
  void exactlyHalfFailedIsNotAboveFiftyPercentButFiftyOneOfAHundredIs() throws Exception {
    history("FS".repeat(5)); // 5 of 10
    assertEquals(Set.of(), evaluate());
    f.reset();
    history("FS".repeat(49) + "FF"); // 51 of 100, streak 2
    assertEquals(Set.of("high_failure_rate:" + FIFTEEN), evaluate());
    assertEquals(0.51, f.store.open().get(0).observedValue(), 1e-9);
  }

  @Test
  void partialRunsAreNotFailuresButInterruptedRunsAre() throws Exception {
    history("FPPFP"); // 2 failures of 5 (partial is not a failure): 40%
    assertEquals(Set.of(), evaluate());
    f.reset();
    history("ISISI"); // 3 interrupted of 5: 60%
    assertEquals(Set.of("high_failure_rate:" + FIFTEEN), evaluate());
  }

  @Test
  void runningExecutionsAreNotCountedYet() throws Exception {
    history("FFSFR"); // 3 of 4 finished failed; the running one is not a fifth
    assertEquals(Set.of(), evaluate());
  }

  @Test
  void executionsOutsideTheWindowDoNotCount() throws Exception {
    for (int i = 0; i < 5; i++) {
      f.run(FIFTEEN, NOW.minus(Duration.ofHours(25)).plusSeconds(i), i % 2 == 0 ? "failure" : "success", 1000);
    }
    history("FS");
    assertEquals(Set.of(), evaluate(), "3 of 7 failed overall, 1 of 2 in the window");
  }

  // --- consecutive failures ----------------------------------------------------------------

  @Test
  void twoFailuresInARowAreNotAnAlertThreeAreAndASuccessResolvesIt() throws Exception {
    history("SSSSSSSFF"); // 2 of 9, streak 2
    assertEquals(Set.of(), evaluate());
    f.run(FIFTEEN, NOW.minusSeconds(30), "failure", 60_000); // streak 3 (3 of 10: no rate alert)
    assertEquals(Set.of("consecutive_failures:" + FIFTEEN), evaluate());
    StoredAlert a = f.store.open().get(0);
    assertEquals(3, a.observedValue());
    assertEquals(NOW.minus(Duration.ofMinutes(2)), a.since(), "since the first failure of the streak");
    f.clock.advance(Duration.ofMinutes(1));
    f.run(FIFTEEN, NOW.plusSeconds(10), "success", 60_000);
    assertEquals(Set.of(), evaluate());
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts WHERE status = 'resolved'"));
  }

  @Test
  void aPartialRunEndsAFailureStreak() throws Exception {
    history("SSSSFFPFF");
    assertEquals(Set.of(), evaluate());
  }

  // --- long duration ---------------------------------------------------------------------

  @Test
  void anAverageOfExactlyFiveMinutesIsNotLongAMillisecondMoreIs() throws Exception {
    history("SSS", 300_000);
    assertEquals(Set.of(), evaluate());
    f.run(FIFTEEN, NOW.minusSeconds(10), "success", 300_003); // average 300000.75 ms
    assertEquals(Set.of("long_duration:" + FIFTEEN), evaluate());
    assertEquals(300_000.75, f.store.open().get(0).observedValue(), 1e-6);
  }

  // --- missed runs -------------------------------------------------------------------------

  @Test
  void aCatchUpRunThatReportsMissedSlotsOpensAMissedRunAlertUntilAnOnTimeRun() throws Exception {
    f.execution(FIFTEEN, "schedule", Instant.parse("2026-01-15T10:00:00Z"), Instant.parse("2026-01-15T10:00:01Z"), "success", 1000L, 0, null);
    f.execution(FIFTEEN, "catch_up", Instant.parse("2026-01-15T11:00:00Z"), Instant.parse("2026-01-15T11:07:00Z"), "success", 1000L, 3, null);
    // The instance came back at 11:07 and ran one catch-up run for the 11:00 slot.
    f.queries.startedAt = Instant.parse("2026-01-15T11:07:00Z");
    f.clock.set(Instant.parse("2026-01-15T11:08:00Z"));
    assertEquals(Set.of("missed_run:" + FIFTEEN), evaluate());
    StoredAlert a = f.store.open().get(0);
    assertEquals(3, a.observedValue());
    assertEquals(Instant.parse("2026-01-15T10:15:00Z"), a.since(), "the first missed slot");
    f.execution(FIFTEEN, "schedule", Instant.parse("2026-01-15T11:15:00Z"), Instant.parse("2026-01-15T11:15:01Z"), "success", 1000L, 0, null);
    f.clock.set(Instant.parse("2026-01-15T11:16:00Z"));
    assertEquals(Set.of(), evaluate());
  }

  @Test
  void aDueSlotWithoutARunIsMissedOnceTheGracePeriodHasPassed() throws Exception {
    f.execution(THIRTY, "schedule", Instant.parse("2026-01-15T11:30:00Z"), Instant.parse("2026-01-15T11:30:01Z"), "success", 1000L, 0, null);
    f.execution(FIFTEEN, "schedule", Instant.parse("2026-01-15T12:00:00Z"), Instant.parse("2026-01-15T12:00:01Z"), "success", 1000L, 0, null);
    f.queries.startedAt = Instant.parse("2026-01-15T11:00:00Z");
    f.clock.set(Instant.parse("2026-01-15T12:01:59Z"));
    assertEquals(Set.of(), evaluate(), "12:00 is due, but within the 2-minute grace");
    f.clock.set(Instant.parse("2026-01-15T12:02:01Z"));
    assertEquals(Set.of("missed_run:" + THIRTY), evaluate());
    assertEquals(Instant.parse("2026-01-15T12:00:00Z"), f.store.open().get(0).since());
    // The scheduler liveness check waits for two missed slots.
    assertFalse(SchedulerHealth.down(f.queries.schedulerState(io.tributary.sync.SyncJob.THIRTY_MINUTES, f.clock.instant())));
    f.clock.set(Instant.parse("2026-01-15T12:32:01Z"));
    assertTrue(SchedulerHealth.down(f.queries.schedulerState(io.tributary.sync.SyncJob.THIRTY_MINUTES, f.clock.instant())));
  }

  @Test
  void jobsWhoseScheduleIsOffAreNeverMissedNorDown() throws Exception {
    f.config.with("sync.schedule.15min", "off").with("sync.schedule.30min", "off");
    f.wire();
    f.clock.set(Instant.parse("2026-01-16T12:00:00Z"));
    assertEquals(Set.of(), evaluate());
    assertFalse(SchedulerHealth.down(f.queries.schedulerState(io.tributary.sync.SyncJob.FIFTEEN_MINUTES, f.clock.instant())));
  }

  // --- connections -------------------------------------------------------------------------

  @Test
  void aProviderIncidentIsOneAlertForManyConnectionsFailingAlike() throws Exception {
    long run = f.run(FIFTEEN, NOW.minusSeconds(60), "partial", 1000);
    for (int i = 0; i < 5; i++) {
      long c = f.connection("github", "active", NOW.minusSeconds(600), NOW.minusSeconds(60), NOW.minusSeconds(60));
      f.outcome(c, run, i < 2 ? "success" : "failure", i < 2 ? null : "HTTP 503 after 4 attempts");
    }
    // 3 of 5 failed with the same error: min 3 connections, 60% ≥ 50%.
    assertEquals(Set.of("provider_incident:github"), evaluate());
    assertTrue(f.store.open().get(0).message().contains("3 of 5"), f.store.open().get(0).message());
    // Fixed in a later run: resolved.
    f.sql("UPDATE connections SET last_outcome = 'success', last_error = NULL");
    assertEquals(Set.of(), evaluate());
  }

  @Test
  void syncsFailedOnOurOwnDatabaseOpenNoProviderIncident() throws Exception {
    long run = f.run(FIFTEEN, NOW.minusSeconds(60), "partial", 1000);
    for (int i = 0; i < 6; i++) {
      long c = f.connection("github", "active", NOW.minusSeconds(600), NOW.minusSeconds(60), NOW.minusSeconds(60));
      f.outcome(c, run, i < 1 ? "success" : "failure", i < 1 ? null : DatabaseTrouble.SYNC_ERROR);
    }
    // 5 of 6 failed alike, but on our database (restarted, pool exhausted): not GitHub's incident.
    assertEquals(Set.of(), evaluate());
  }

  @Test
  void aRealProviderIncidentDuringADatabaseOutageIsStillOneAndCountsOnlyWhatReachedTheProvider() throws Exception {
    long run = f.run(FIFTEEN, NOW.minusSeconds(60), "partial", 1000);
    for (int i = 0; i < 9; i++) {
      long c = f.connection("github", "active", NOW.minusSeconds(600), NOW.minusSeconds(60), NOW.minusSeconds(60));
      String error = i < 5 ? DatabaseTrouble.SYNC_ERROR : i < 8 ? "HTTP 503 after 4 attempts" : null;
      f.outcome(c, run, error == null ? "success" : "failure", error);
    }
    // The POSTGRES.database() failures are the largest group, yet the incident is GitHub's 3 of 4 it was asked.
    assertEquals(Set.of("provider_incident:github"), evaluate());
    String message = f.store.open().get(0).message();
    assertTrue(message.contains("3 of 4") && message.contains("HTTP 503"), message);
  }

  @Test
  void twoConnectionsFailingAreNotAnIncident() throws Exception {
    long run = f.run(FIFTEEN, NOW.minusSeconds(60), "partial", 1000);
    for (int i = 0; i < 3; i++) {
      long c = f.connection("github", "active", NOW.minusSeconds(600), NOW.minusSeconds(60), NOW.minusSeconds(60));
      f.outcome(c, run, i < 1 ? "success" : "failure", i < 1 ? null : "HTTP 503");
    }
    assertEquals(Set.of(), evaluate());
  }

  @Test
  void needsReauthResolvesWhenTheUserReconnects() throws Exception {
    long c = f.connection("slack", "needs_reauth", NOW.minusSeconds(3600), null, NOW.minusSeconds(60));
    assertEquals(Set.of("needs_reauth:slack"), evaluate());
    f.sql("UPDATE connections SET status = 'active', last_success_at = created_at + INTERVAL '59 minutes' WHERE id = " + c);
    assertEquals(Set.of(), evaluate());
  }

  // --- lifecycle -------------------------------------------------------------------------

  @Test
  void anAlertOpensOnceAndSurvivesARestart() throws Exception {
    history("SSSSSSSFFF");
    evaluate();
    evaluate();
    f.wire(); // a restarted instance: new beans, same POSTGRES.database()
    evaluate();
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts"));
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts WHERE status = 'open'"));
  }

  @Test
  void anAlertResolvesOnlyAfterTheConfiguredNumberOfDistinctClearEvaluations() throws Exception {
    f.config.with("alerts.resolve.after.runs", "2");
    f.wire();
    history("SSSSSSSFFF");
    f.evaluator.evaluate("run-1");
    f.run(FIFTEEN, NOW.minusSeconds(5), "success", 60_000);
    f.evaluator.evaluate("run-2");
    assertEquals(Set.of("consecutive_failures:" + FIFTEEN), open(), "clear once");
    f.evaluator.evaluate("run-2"); // the same evaluation on another instance counts once
    assertEquals(Set.of("consecutive_failures:" + FIFTEEN), open());
    f.evaluator.evaluate("tick-7");
    assertEquals(Set.of(), open(), "clear twice: resolved");
    assertEquals(2, f.count("SELECT clear_evaluations FROM monitoring_alerts"));
  }

  @Test
  void aConditionReturningBeforeResolutionRestartsTheCount() throws Exception {
    f.config.with("alerts.resolve.after.runs", "2");
    f.wire();
    long failure = f.run(FIFTEEN, NOW.minusSeconds(50), "failure", 1000);
    f.run(FIFTEEN, NOW.minusSeconds(40), "failure", 1000);
    f.run(FIFTEEN, NOW.minusSeconds(30), "failure", 1000);
    f.evaluator.evaluate("a");
    long ok = f.run(FIFTEEN, NOW.minusSeconds(20), "success", 1000);
    f.evaluator.evaluate("b"); // clear 1
    f.sql("DELETE FROM cron_job_executions WHERE id = " + ok); // the condition is back
    f.evaluator.evaluate("c"); // holds again: count reset
    f.run(FIFTEEN, NOW.minusSeconds(10), "success", 1000);
    f.evaluator.evaluate("d"); // clear 1 again
    assertEquals(Set.of("consecutive_failures:" + FIFTEEN), open());
    f.evaluator.evaluate("e");
    assertEquals(Set.of(), open());
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts"), "one occurrence throughout (" + failure + ")");
  }

  @Test
  void aResolvedAlertThatReturnsIsANewOccurrence() throws Exception {
    history("SSSSSSSFFF");
    evaluate();
    f.run(FIFTEEN, NOW.minusSeconds(5), "success", 1000);
    evaluate();
    f.clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 3; i++) {
      f.run(FIFTEEN, NOW.plusSeconds(60 + i), "failure", 1000);
    }
    assertEquals(Set.of("consecutive_failures:" + FIFTEEN), evaluate());
    assertEquals(2, f.count("SELECT COUNT(*) FROM monitoring_alerts"));
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts WHERE status = 'resolved'"));
  }

  @Test
  void instancesEvaluatingAtOnceOpenOneAlertAndQueueOneNotificationPerChannel() throws Exception {
    MapConfig config =
        new MapConfig().with("alert.slack.webhook.url", "http://127.0.0.1:9/slack").with("alert.webhook.url", "http://127.0.0.1:9/hook");
    history("SSSSSSSFFF");
    int instances = 6;
    List<MonitoringFixture> all = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      all.add(new MonitoringFixture(POSTGRES.dataSource(), NOW, config));
    }
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> opened = new ArrayList<>();
    for (MonitoringFixture i : all) {
      opened.add(pool.submit(() -> {
        go.await();
        return i.evaluator.evaluate("tick-1").opened().size();
      }));
    }
    go.countDown();
    int total = 0;
    for (Future<Integer> o : opened) {
      total += o.get();
    }
    pool.shutdown();
    assertEquals(1, total, "one instance opened it");
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts"));
    assertEquals(2, f.count("SELECT COUNT(*) FROM monitoring_notifications WHERE transition = 'opened'"));
    // And resolving: one instance, one notification per channel.
    f.run(FIFTEEN, NOW.minusSeconds(5), "success", 1000);
    ExecutorService pool2 = Executors.newFixedThreadPool(instances);
    CountDownLatch go2 = new CountDownLatch(1);
    List<Future<Integer>> resolved = new ArrayList<>();
    for (int k = 0; k < instances; k++) {
      MonitoringFixture i = all.get(k);
      String key = "run-" + (k % 2); // two distinct evaluations, each run by three instances
      resolved.add(pool2.submit(() -> {
        go2.await();
        return i.evaluator.evaluate(key).resolved().size();
      }));
    }
    go2.countDown();
    total = 0;
    for (Future<Integer> r : resolved) {
      total += r.get();
    }
    pool2.shutdown();
    assertEquals(1, total);
    assertEquals(2, f.count("SELECT COUNT(*) FROM monitoring_notifications WHERE transition = 'resolved'"));
  }

  @Test
  void withoutConfiguredChannelsNothingIsQueued() throws Exception {
    history("SSSSSSSFFF");
    assertEquals(1, evaluate().size());
    assertEquals(0, f.count("SELECT COUNT(*) FROM monitoring_notifications"));
  }
}
