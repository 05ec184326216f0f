package io.tributary.monitoring;

import jakarta.annotation.PostConstruct;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Monitoring's own timer, every ten seconds on every instance:
 *
 * <ol>
 *   <li>sends due notifications (retries with backoff; the outbox's claim keeps instances from
 *       sending one twice);
 *   <li>every {@code alerts.evaluate.interval.seconds} (60): records the provider figures of runs
 *       not recorded yet and evaluates the alerts, which is how missed runs and stale data are noticed
 *       when no run finishes;
 *   <li>once a day across instances: the log cleanup with {@code LOG_RETENTION_DAYS};
 *   <li>refreshes the connection figures the monitoring endpoint shows ({@link LatestConnectionFigures}).
 * </ol>
 *
 * Bean-managed transactions, so the tick itself holds no transaction (and no lock) across its steps;
 * non-persistent, as the database coordinates the instances.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class MonitoringTimer {

  private static final Logger LOG = Logger.getLogger(MonitoringTimer.class.getName());
  /** How far back the first tick looks for runs without provider figures (the API's largest window). */
  static final Duration FIRST_BACKFILL = Duration.ofHours(MonitoringReport.MAX_HOURS);

  @Inject ProviderRunFigures figures;
  @Inject AlertEvaluator evaluator;
  @Inject NotificationDelivery delivery;
  @Inject LogCleanup cleanup;
  @Inject MonitoringSettings settings;
  @Inject MonitoringMetrics metrics;
  @Inject MonitoringQueries queries;
  @Inject LatestConnectionFigures connections;
  @Inject Clock clock;

  private final AtomicBoolean ticking = new AtomicBoolean();
  private Instant nextEvaluation;
  private boolean backfilled;

  @PostConstruct
  void init() {
    settings.logRetentionDays(); // a malformed setting stops the deployment now, not at the first tick
    queries.startedAt(); // missed-run accounting starts with this instance
    metrics.register();
    nextEvaluation = clock.instant().plus(settings.evaluateEvery());
  }

  @Schedule(second = "*/10", minute = "*", hour = "*", persistent = false, info = "tributary-monitoring-tick")
  void timer() {
    if (!ticking.compareAndSet(false, true)) {
      return;
    }
    try {
      tick(clock.instant());
    } finally {
      ticking.set(false);
    }
  }

  void tick(Instant now) {
    if (!now.isBefore(nextEvaluation)) {
      nextEvaluation = now.plus(settings.evaluateEvery());
      step(
          "recording provider figures",
          () -> {
            figures.recordMissing(now.minus(backfilled ? Duration.ofHours(24) : FIRST_BACKFILL));
            backfilled = true;
          });
      step(
          "evaluating alerts",
          () -> {
            AlertEvaluator.Transitions t = evaluator.evaluate(evaluator.tickKey(now));
            t.opened().forEach(a -> metrics.alertTransition(a.type(), Notifications.OPENED));
            t.resolved().forEach(a -> metrics.alertTransition(a.type(), Notifications.RESOLVED));
          });
    }
    step(
        "sending notifications",
        () -> {
          NotificationDelivery.Outcomes o = delivery.deliverDue();
          metrics.notifications(o);
          if (o.failed() > 0) {
            nextEvaluation = now; // a notification was given up on: raise notification_failure next tick
          }
        });
    step("daily log cleanup", () -> cleanup.runDailyIfDue());
    step("connection figures", () -> connections.refresh(now));
  }

  private static void step(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Monitoring tick failed while " + what + " (will retry)", e);
    }
  }
}
