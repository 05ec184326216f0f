package io.tributary.monitoring;

import io.tributary.platform.InstanceIdentity;
import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps the execution log from growing forever: deletes executions that started more than N days ago
 * (never a running one), in batches of {@link #BATCH} rows, each batch its own short transaction, so
 * a large cleanup never holds many row locks or one long transaction while runs write the log. Their
 * work chunks go with them (ON DELETE CASCADE); monitoring's own history of the same age (per-provider
 * run figures, resolved alerts and their notifications) is purged too.
 *
 * <p>The automatic cleanup runs once a day across all instances: the instance whose insert of
 * (log-cleanup, today) into {@code monitoring_daily_tasks} succeeds does it.
 */
@ApplicationScoped
public class LogCleanup {

  private static final Logger LOG = Logger.getLogger(LogCleanup.class.getName());
  static final int BATCH = 1000;
  static final String TASK = "log-cleanup";

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Clock clock;
  @Inject MonitoringSettings settings;
  @Inject InstanceIdentity instance;

  /**
   * Deletes what is older than {@code retentionDays} days.
   *
   * @return the number of executions deleted
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public long deleteOlderThan(int retentionDays) {
    Instant cutoff = clock.instant().minus(Duration.ofDays(retentionDays));
    long executions =
        batches(
            "DELETE FROM cron_job_executions WHERE id IN (SELECT id FROM cron_job_executions"
                + " WHERE started_at < ? AND status <> 'running' LIMIT " + BATCH + ")",
            cutoff);
    batches(
        "DELETE FROM execution_provider_figures WHERE execution_id IN (SELECT execution_id FROM execution_provider_figures"
            + " WHERE started_at < ? LIMIT " + BATCH + ")",
        cutoff);
    batches(
        "DELETE FROM monitoring_alerts WHERE id IN (SELECT id FROM monitoring_alerts"
            + " WHERE status = 'resolved' AND resolved_at < ? LIMIT " + BATCH + ")",
        cutoff);
    batches(
        "DELETE FROM monitoring_notifications WHERE id IN (SELECT id FROM monitoring_notifications"
            + " WHERE status IN ('delivered', 'failed', 'cancelled') AND created_at < ? LIMIT " + BATCH + ")",
        cutoff);
    LOG.info(() -> "Log cleanup: deleted " + executions + " execution(s) started before " + cutoff + " (" + retentionDays + " days)");
    return executions;
  }

  /** Each statement autocommits: one batch, one transaction. */
  private long batches(String sql, Instant cutoff) {
    long total = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.setInstant(ps, 1, cutoff);
      int n;
      do {
        n = ps.executeUpdate();
        total += n;
      } while (n > 0);
      return total;
    } catch (SQLException e) {
      throw new IllegalStateException("Log cleanup failed after " + total + " row(s): " + e.getMessage(), e);
    }
  }

  /**
   * Runs the daily cleanup with {@code LOG_RETENTION_DAYS} if no instance has run it today (UTC).
   *
   * @return the executions deleted, or empty when another instance (or an earlier tick) had it today
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public Optional<Long> runDailyIfDue() {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO monitoring_daily_tasks (task_name, run_day, instance_id, started_at) VALUES (?, ?, ?, ?)"
                  + " ON CONFLICT DO NOTHING")) {
        ps.setString(1, TASK);
        ps.setObject(2, today);
        ps.setString(3, instance == null ? "local" : instance.id());
        Sql.setInstant(ps, 4, now);
        if (ps.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      long deleted = deleteOlderThan(settings.logRetentionDays);
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE monitoring_daily_tasks SET finished_at = ?, result = ? WHERE task_name = ? AND run_day = ?")) {
        Sql.setInstant(ps, 1, clock.instant());
        ps.setLong(2, deleted);
        ps.setString(3, TASK);
        ps.setObject(4, today);
        ps.executeUpdate();
      }
      return Optional.of(deleted);
    } catch (SQLException e) {
      throw new IllegalStateException("Daily log cleanup failed: " + e.getMessage(), e);
    }
  }
}
