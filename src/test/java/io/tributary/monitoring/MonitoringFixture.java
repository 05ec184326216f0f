package io.tributary.monitoring;

import io.tributary.platform.database.Sql;
import io.tributary.sync.SyncSettings;
import io.tributary.testing.MapConfig;
import io.tributary.testing.MutableClock;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Monitoring's beans wired by hand against a migrated database, with a moved clock: what CDI does in
 * the container, in miniature (as SchedulingTest does for the scheduler). Also seeds execution
 * histories and connections straight into the tables, so tests state exactly what the log holds.
 */
final class MonitoringFixture {

  final DataSource db;
  final MutableClock clock;
  final MapConfig config;
  MonitoringSettings settings;
  SyncSettings schedules;
  MonitoringQueries queries;
  AlertStore store;
  AlertEvaluator evaluator;
  NotificationDelivery delivery;
  LogCleanup cleanup;
  ProviderRunFigures figures;
  MonitoringReport report;

  MonitoringFixture(DataSource db, Instant now, MapConfig config) {
    this.db = db;
    this.clock = new MutableClock(now);
    this.config = config;
    wire();
  }

  /** (Re)creates every bean from the configuration, as a restarted instance would. */
  MonitoringFixture wire() {
    settings = MonitoringSettings.from(config);
    schedules = syncSettings(config);
    queries = new MonitoringQueries();
    queries.dataSource = db;
    queries.clock = clock;
    queries.schedules = schedules;
    queries.settings = settings;
    // A freshly started instance: slots before it are a catch-up run's to report, not overdue.
    queries.startedAt = clock.instant();
    store = new AlertStore();
    store.dataSource = db;
    store.settings = settings;
    evaluator = new AlertEvaluator();
    evaluator.queries = queries;
    evaluator.store = store;
    evaluator.settings = settings;
    evaluator.clock = clock;
    delivery = new NotificationDelivery();
    delivery.dataSource = db;
    delivery.clock = clock;
    delivery.settings = settings;
    cleanup = new LogCleanup();
    cleanup.dataSource = db;
    cleanup.clock = clock;
    cleanup.settings = settings;
    figures = new ProviderRunFigures();
    figures.dataSource = db;
    LatestConnectionFigures latest = new LatestConnectionFigures();
    latest.queries = queries;
    queries.latestConnections = latest;
    report = new MonitoringReport();
    report.queries = queries;
    report.connections = latest;
    report.alerts = store;
    report.settings = settings;
    report.clock = clock;
    return this;
  }

  /**
   * SyncSettings outside the container. Its fields are package-private to io.tributary.sync, which
   * monitoring's tests may not add classes to, hence reflection.
   */
  static SyncSettings syncSettings(MapConfig config) {
    try {
      SyncSettings s = new SyncSettings();
      Field f = SyncSettings.class.getDeclaredField("config");
      f.setAccessible(true);
      f.set(s, config);
      Method load = SyncSettings.class.getDeclaredMethod("load");
      load.setAccessible(true);
      load.invoke(s);
      return s;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Empties every table monitoring reads or writes (DELETE, not TRUNCATE: row locks only). */
  void reset() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      for (String t :
          List.of(
              "monitoring_notifications", "monitoring_alerts", "execution_provider_figures", "monitoring_daily_tasks",
              "execution_chunks", "cron_job_executions", "synced_records", "sync_cursors", "connections", "app_users")) {
        s.executeUpdate("DELETE FROM " + t);
      }
      s.executeUpdate("UPDATE sync_job_locks SET execution_id = NULL");
    }
  }

  // --- executions ----------------------------------------------------------------------------

  static final String FIFTEEN = "sync-integrations-15min";
  static final String THIRTY = "sync-integrations-30min";
  static final String ALL = "sync-integrations-all";

  /** A finished (or running, when durationMs is null) execution; returns its id. */
  long execution(
      String job, String trigger, Instant slot, Instant started, String status, Long durationMs, int missed, String breakdown)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at, finished_at,"
                    + " duration_ms, status, instance_id, missed_slots, provider_breakdown, heartbeat_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'seed', ?, ?, ?)",
                new String[] {"id"})) {
      ps.setString(1, job);
      ps.setString(2, job.endsWith("15min") ? "15min" : job.endsWith("30min") ? "30min" : "all");
      ps.setString(3, trigger);
      Sql.setInstant(ps, 4, slot);
      Sql.setInstant(ps, 5, started);
      Sql.setInstant(ps, 6, durationMs == null ? null : started.plusMillis(durationMs));
      if (durationMs == null) {
        ps.setNull(7, java.sql.Types.BIGINT);
      } else {
        ps.setLong(7, durationMs);
      }
      ps.setString(8, status);
      ps.setInt(9, missed);
      ps.setString(10, breakdown);
      Sql.setInstant(ps, 11, started);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** A manual run (its own slot, as the trigger endpoint records it). */
  long run(String job, Instant started, String status, long durationMs) throws SQLException {
    return execution(job, "manual", started, started, status, durationMs, 0, null);
  }

  /** n manual runs of a job, a minute apart ending at {@code last}, oldest first; failures first. */
  List<Long> runs(String job, Instant last, int failures, int successes, long durationMs) throws SQLException {
    List<Long> ids = new ArrayList<>();
    int n = failures + successes;
    for (int i = 0; i < n; i++) {
      Instant at = last.minus(Duration.ofMinutes(n - 1 - i));
      ids.add(run(job, at, i < failures ? "failure" : "success", durationMs));
    }
    return ids;
  }

  // --- connections ---------------------------------------------------------------------------

  private int users;

  /** A connection; returns its id. */
  long connection(String provider, String status, Instant created, Instant lastSuccess, Instant lastAttempt) throws SQLException {
    try (Connection c = db.getConnection()) {
      long user;
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO app_users (external_id) VALUES (?)", new String[] {"id"})) {
        ps.setString(1, "user-" + (++users) + "-" + System.nanoTime());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          user = keys.getLong(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO connections (user_id, provider, status, created_at, updated_at, last_success_at, last_attempt_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)",
              new String[] {"id"})) {
        ps.setLong(1, user);
        ps.setString(2, provider);
        ps.setString(3, status);
        Sql.setInstant(ps, 4, created);
        Sql.setInstant(ps, 5, created);
        Sql.setInstant(ps, 6, lastSuccess);
        Sql.setInstant(ps, 7, lastAttempt);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    }
  }

  /** Records a connection's outcome in a run, as ConnectionHealth does. */
  void outcome(long connectionId, long executionId, String outcome, String error) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE connections SET last_run_execution = ?, last_outcome = ?, last_error = ?, last_duration_ms = 10 WHERE id = ?")) {
      ps.setLong(1, executionId);
      ps.setString(2, outcome);
      ps.setString(3, error);
      ps.setLong(4, connectionId);
      ps.executeUpdate();
    }
  }

  long count(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void sql(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
