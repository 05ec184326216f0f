package io.tributary.monitoring;

import static io.tributary.monitoring.MonitoringFixture.FIFTEEN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.testing.Databases;
import io.tributary.testing.MapConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements the embedded H2 of demo mode must accept beyond the report (which {@link
 * MonitoringReportH2Test} covers): opening and resolving alerts with their outbox rows, claiming
 * notifications (UPDATE … IN (SELECT … FOR UPDATE SKIP LOCKED)), batched deletes and the daily key.
 */
class MonitoringH2Test {

  static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
  static DataSource db;
  MonitoringFixture f;

  @BeforeAll
  static void createDatabase() {
    db = Databases.migratedH2();
  }

  @BeforeEach
  void setUp() throws Exception {
    // Port 9 (discard) on loopback: nothing answers, every delivery is a retryable failure.
    f = new MonitoringFixture(db, NOW, new MapConfig().with("alert.webhook.url", "http://127.0.0.1:9/hook"));
    f.reset();
  }

  @Test
  void alertsOpenAndResolveWithTheirNotificationsAndClaimsWork() throws Exception {
    for (int i = 0; i < 3; i++) {
      f.run(FIFTEEN, NOW.minusSeconds(60 - i), "failure", 1000);
    }
    assertEquals(1, f.evaluator.evaluate("a").opened().size());
    assertEquals(0, f.evaluator.evaluate("b").opened().size());
    assertEquals(1, f.delivery.claim(NOW).size());
    assertEquals(0, f.delivery.claim(NOW).size(), "claimed once");
    f.run(FIFTEEN, NOW.minusSeconds(10), "success", 1000);
    assertEquals(1, f.evaluator.evaluate("c").resolved().size());
    assertEquals(2, f.count("SELECT COUNT(*) FROM monitoring_notifications"));
    f.clock.advance(Duration.ofMinutes(10));
    NotificationDelivery.Outcomes o = f.delivery.deliverDue();
    assertEquals(2, o.retrying(), o.toString());
  }

  @Test
  void cleanupAndTheDailyKey() throws Exception {
    for (int i = 0; i < 5; i++) {
      f.run(FIFTEEN, NOW.minus(Duration.ofDays(40)).plusSeconds(i), "success", 1000);
    }
    f.execution(FIFTEEN, "manual", NOW.minus(Duration.ofDays(41)), NOW.minus(Duration.ofDays(41)), "running", null, 0, null);
    f.run(FIFTEEN, NOW.minus(Duration.ofDays(1)), "success", 1000);
    assertEquals(Optional.of(5L), f.cleanup.runDailyIfDue());
    assertEquals(Optional.empty(), new MonitoringFixture(db, NOW, f.config).cleanup.runDailyIfDue());
    assertEquals(2, f.count("SELECT COUNT(*) FROM cron_job_executions"));
  }
}
