package io.tributary.monitoring;

import static io.tributary.monitoring.MonitoringFixture.FIFTEEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.MapConfig;
import io.tributary.testing.MigratedPostgresql;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The log cleanup against PostgreSQL: what it deletes, what it never deletes, once a day across instances. */
class LogCleanupTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();
  MonitoringFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new MonitoringFixture(POSTGRES.dataSource(), NOW, new MapConfig().with("log.retention.days", "30"));
    f.reset();
  }

  /** n finished executions of the 15-minute job, a minute apart, the newest {@code age} ago. */
  void old(int n, Duration age) throws Exception {
    f.sql(
        "INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at, finished_at,"
            + " duration_ms, status, instance_id, provider_breakdown)"
            + " SELECT 'sync-integrations-15min', '15min', 'schedule', t, t, t, 1000, 'success', 'seed',"
            + " '{\"github\":{\"syncs\":1,\"successes\":1,\"failures\":0,\"deferred\":0,\"averageDurationMs\":5,\"recordsChanged\":0,\"calls\":1}}'"
            + " FROM (SELECT TIMESTAMP WITH TIME ZONE '" + NOW.minus(age) + "' - (g * INTERVAL '1 minute') AS t"
            + " FROM generate_series(0, " + (n - 1) + ") g) s");
  }

  @Test
  void deletesFinishedExecutionsOlderThanTheRetentionInBatchesAndNothingElse() throws Exception {
    old(2_500, Duration.ofDays(40)); // more than two batches of 1000
    old(10, Duration.ofDays(20));
    long runningOld = f.execution(FIFTEEN, "manual", NOW.minus(Duration.ofDays(45)), NOW.minus(Duration.ofDays(45)), "running", null, 0, null);
    long oldWithChunks = f.run(FIFTEEN, NOW.minus(Duration.ofDays(50)), "failure", 1000);
    f.sql("INSERT INTO execution_chunks (execution_id, provider, from_id, to_id, status) VALUES (" + oldWithChunks + ", 'github', 1, 100, 'done')");
    f.figures.recordMissing(NOW.minus(Duration.ofDays(60)));
    assertEquals(2_510, f.count("SELECT COUNT(*) FROM execution_provider_figures"));

    assertEquals(2_501, f.cleanup.deleteOlderThan(30));

    assertEquals(11, f.count("SELECT COUNT(*) FROM cron_job_executions"));
    assertEquals(1, f.count("SELECT COUNT(*) FROM cron_job_executions WHERE id = " + runningOld), "a running execution is never deleted");
    assertEquals(0, f.count("SELECT COUNT(*) FROM execution_chunks"), "its chunks went with it");
    assertEquals(10, f.count("SELECT COUNT(*) FROM execution_provider_figures"), "monitoring's copy of the same age too");
    assertEquals(0, f.cleanup.deleteOlderThan(30), "nothing left to delete");
    assertEquals(10, f.cleanup.deleteOlderThan(1));
  }

  @Test
  void theRetentionBoundaryIsExclusive() throws Exception {
    f.run(FIFTEEN, NOW.minus(Duration.ofDays(30)), "success", 1000); // exactly 30 days: kept
    f.run(FIFTEEN, NOW.minus(Duration.ofDays(30)).minusMillis(1), "success", 1000);
    assertEquals(1, f.cleanup.deleteOlderThan(30));
  }

  @Test
  void oldResolvedAlertsAndTheirNotificationsGoOpenOnesStay() throws Exception {
    f.sql(
        "INSERT INTO monitoring_alerts (alert_type, subject_kind, subject, severity, status, message, since, opened_at, last_seen_at, resolved_at)"
            + " VALUES ('needs_reauth', 'provider', 'slack', 'warning', 'resolved', 'm', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00',"
            + " TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-02 00:00:00+00')");
    f.sql(
        "INSERT INTO monitoring_alerts (alert_type, subject_kind, subject, severity, status, open_key, message, since, opened_at, last_seen_at)"
            + " VALUES ('needs_reauth', 'provider', 'github', 'warning', 'open', 'needs_reauth:github', 'm', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00',"
            + " TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
    f.sql(
        "INSERT INTO monitoring_notifications (alert_id, channel, transition, payload, status, next_attempt_at, created_at)"
            + " SELECT id, 'slack', 'opened', '{}', 'delivered', opened_at, opened_at FROM monitoring_alerts");
    f.cleanup.deleteOlderThan(30);
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts WHERE subject = 'github' AND status = 'open'"));
    assertEquals(1, f.count("SELECT COUNT(*) FROM monitoring_alerts"));
    assertEquals(0, f.count("SELECT COUNT(*) FROM monitoring_notifications"), "delivered notifications older than the retention go");
  }

  @Test
  void theDailyCleanupRunsOncePerDayAcrossInstances() throws Exception {
    old(5, Duration.ofDays(31));
    MonitoringFixture other = new MonitoringFixture(POSTGRES.dataSource(), NOW, f.config);
    Optional<Long> first = f.cleanup.runDailyIfDue();
    Optional<Long> second = other.cleanup.runDailyIfDue();
    Optional<Long> again = f.cleanup.runDailyIfDue();
    assertEquals(Optional.of(5L), first);
    assertEquals(Optional.empty(), second, "another instance the same day");
    assertEquals(Optional.empty(), again, "the same instance later the same day");
    assertEquals(5, f.count("SELECT result FROM monitoring_daily_tasks WHERE task_name = 'log-cleanup'"));

    other.clock.advance(Duration.ofDays(1));
    old(3, Duration.ofDays(30)); // 31 days old by tomorrow
    assertEquals(Optional.of(3L), other.cleanup.runDailyIfDue(), "tomorrow: again, on whichever instance comes first");
    assertTrue(f.count("SELECT COUNT(*) FROM monitoring_daily_tasks") == 2);
  }

  @Test
  void theDailyCleanupUsesLogRetentionDays() throws Exception {
    f.config.with("log.retention.days", "7");
    f.wire();
    old(4, Duration.ofDays(8));
    old(4, Duration.ofDays(6));
    assertEquals(Optional.of(4L), f.cleanup.runDailyIfDue());
  }
}
