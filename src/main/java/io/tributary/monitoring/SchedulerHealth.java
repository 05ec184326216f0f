package io.tributary.monitoring;

import io.tributary.monitoring.MonitoringQueries.SchedulerState;
import io.tributary.sync.SyncJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: DOWN when a scheduled job has let two due slots pass without a run (two intervals),
 * counting from its latest scheduled run or this instance's start, whichever is later. Jobs whose
 * schedule is {@code off} (or with no enabled provider) are ignored.
 *
 * <p>Liveness rather than readiness: the remedy for a scheduler that stopped firing is a restart,
 * and taking the instance out of traffic would also refuse the manual trigger that works around it.
 * Counting from the instance's start keeps a fresh instance from being restarted for the downtime
 * before it (that is reported as {@code missed_run} instead). When the database cannot be read the
 * check stays UP: readiness reports the database.
 */
@Liveness
@ApplicationScoped
public class SchedulerHealth implements HealthCheck {

  static final int DOWN_AFTER_SLOTS = 2;

  @Inject MonitoringQueries queries;
  @Inject Clock clock;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("scheduler").up();
    Instant now = clock.instant();
    try {
      for (SyncJob job : List.of(SyncJob.FIFTEEN_MINUTES, SyncJob.THIRTY_MINUTES)) {
        SchedulerState s = queries.schedulerState(job, now);
        if (!s.scheduled()) {
          b.withData(job.jobName(), "not scheduled");
        } else if (down(s)) {
          b.down().withData(job.jobName(), s.overdueSlots().size() + " due slots without a run since " + s.overdueSlots().get(0));
        } else {
          b.withData(job.jobName(), "on schedule (latest run for " + s.latestRunSlot() + ")");
        }
      }
    } catch (RuntimeException e) {
      b.withData("database", "unavailable: " + e.getClass().getSimpleName() + " (see readiness)");
    }
    return b.build();
  }

  /** Two due slots have passed without a run. */
  static boolean down(SchedulerState s) {
    return s.scheduled() && s.overdueSlots().size() >= DOWN_AFTER_SLOTS;
  }
}
