package io.tributary.monitoring;

import io.tributary.monitoring.AlertFigures.ChannelFigures;
import io.tributary.monitoring.AlertFigures.IncidentFigures;
import io.tributary.monitoring.AlertFigures.JobFigures;
import io.tributary.monitoring.AlertFigures.ProviderFigures;
import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.providers.Provider;
import io.tributary.sync.ExecutionLog;
import io.tributary.sync.ExecutionView;
import io.tributary.sync.SyncJob;
import io.tributary.sync.SyncSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Every figure monitoring shows or alerts on, aggregated in SQL (COUNT … FILTER, GROUP BY,
 * percentile_cont) over indexed ranges, so the cost does not grow with the size of the log: the
 * window is an index range on {@code started_at}, a job's latest rows an index walk on {@code
 * (job_name, started_at)}, a provider's freshness an index range on {@code (provider, status, id)}.
 *
 * <p>Deliberately no transaction and no statement joining the sync engine's tables: each statement
 * locks one table for its own duration only, so monitoring never holds up (or deadlocks with) a run.
 */
@ApplicationScoped
public class MonitoringQueries {

  /** The known jobs, always listed (in this order) even with no executions. */
  static final List<SyncJob> JOBS = List.of(SyncJob.FIFTEEN_MINUTES, SyncJob.THIRTY_MINUTES, SyncJob.ALL);

  static final String FAILED = "('failure', 'interrupted')";
  static final String NOT_FAILED = "('success', 'partial')";
  private static final Instant LONG_AGO = Instant.parse("1970-01-01T00:00:00Z");

  /** The columns {@link ExecutionLog#read} expects, in its order. */
  static final String EXECUTION_COLUMNS =
      "id, job_name, interval_name, trigger_type, slot_start, started_at, finished_at, duration_ms, status,"
          + " users_processed, providers_synced, success_count, failure_count, records_changed, error_summary,"
          + " provider_breakdown, instance_id, missed_slots";

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Clock clock;
  @Inject SyncSettings schedules;
  @Inject MonitoringSettings settings;
  @Inject LatestConnectionFigures latestConnections;

  /** Missed-run accounting starts no earlier than this instance: a slot before it is a catch-up's job. */
  Instant startedAt;

  @PostConstruct
  void init() {
    startedAt = clock.instant();
  }

  /** When this instance started watching the schedule. */
  public Instant startedAt() {
    return startedAt;
  }

  // --- jobs ----------------------------------------------------------------------------------

  /**
   * A job's figures over a window. Counting follows {@link io.tributary.sync.RunStatus}: successes
   * are {@code success}; failures are {@code failure} and {@code interrupted}; {@code partial} and
   * {@code running} are counted apart.
   */
  public record JobStats(
      String jobName,
      long total,
      long successes,
      long failures,
      long partials,
      long running,
      Double averageDurationMs,
      Instant firstExecution,
      Instant firstFailure,
      long missedSlots,
      Instant lastExecution,
      String lastStatus,
      int failureStreak,
      Instant streakSince) {

    public long finished() {
      return total - running;
    }
  }

  /** A job's aggregates over the window, as one GROUP BY row. */
  private record Window(
      long total, long successes, long failures, long partials, long running, Double averageDurationMs,
      Instant firstExecution, Instant firstFailure, long missedSlots) {
    static final Window EMPTY = new Window(0, 0, 0, 0, 0, null, null, null, 0);
  }

  private record Latest(Instant startedAt, String status) {}

  private record Streak(int failures, Instant since) {}

  public List<JobStats> jobStats(Instant since) {
    try (Connection c = dataSource.getConnection()) {
      Map<String, Window> windows = new LinkedHashMap<>();
      JOBS.forEach(j -> windows.put(j.jobName(), Window.EMPTY));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT job_name, COUNT(*),"
                  + " COUNT(*) FILTER (WHERE status = 'success'),"
                  + " COUNT(*) FILTER (WHERE status IN " + FAILED + "),"
                  + " COUNT(*) FILTER (WHERE status = 'partial'),"
                  + " COUNT(*) FILTER (WHERE status = 'running'),"
                  + " AVG(CAST(duration_ms AS DOUBLE PRECISION)) FILTER (WHERE status <> 'running'),"
                  + " MIN(started_at),"
                  + " MIN(started_at) FILTER (WHERE status IN " + FAILED + "),"
                  + " COALESCE(SUM(missed_slots), 0)"
                  + " FROM cron_job_executions WHERE started_at >= ? GROUP BY job_name")) {
        Sql.setInstant(ps, 1, since);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            double avg = rs.getDouble(7);
            Double average = rs.wasNull() ? null : avg;
            windows.put(
                rs.getString(1),
                new Window(
                    rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), average,
                    Sql.instant(rs, 8), Sql.instant(rs, 9), rs.getLong(10)));
          }
        }
      }
      List<JobStats> out = new ArrayList<>();
      for (Map.Entry<String, Window> e : windows.entrySet()) {
        String job = e.getKey();
        Window w = e.getValue();
        Latest last = latest(c, job);
        Streak streak = failureStreak(c, job);
        out.add(
            new JobStats(
                job, w.total(), w.successes(), w.failures(), w.partials(), w.running(), w.averageDurationMs(),
                w.firstExecution(), w.firstFailure(), w.missedSlots(), last.startedAt(), last.status(),
                streak.failures(), streak.since()));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading job statistics failed: " + e.getMessage(), e);
    }
  }

  /** The job's latest execution ever: a job that stopped running still shows when it last ran. */
  private static Latest latest(Connection c, String job) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT started_at, status FROM cron_job_executions WHERE job_name = ? ORDER BY started_at DESC, id DESC LIMIT 1")) {
      ps.setString(1, job);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Latest(Sql.instant(rs, 1), rs.getString(2)) : new Latest(null, null);
      }
    }
  }

  /** Failed executions since the job's latest success or partial run: the current failure streak. */
  private static Streak failureStreak(Connection c, String job) throws SQLException {
    Instant lastGood;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT MAX(started_at) FROM cron_job_executions WHERE job_name = ? AND status IN " + NOT_FAILED)) {
      ps.setString(1, job);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        lastGood = Sql.instant(rs, 1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*), MIN(started_at) FROM cron_job_executions WHERE job_name = ? AND status IN " + FAILED
                + " AND started_at > ?")) {
      ps.setString(1, job);
      Sql.setInstant(ps, 2, lastGood == null ? LONG_AGO : lastGood);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Streak(rs.getInt(1), Sql.instant(rs, 2));
      }
    }
  }

  /** Each job's executions started since {@code since}, newest first, at most {@code limit} per job. */
  public Map<String, List<ExecutionView>> recentExecutions(Instant since, int limit) {
    Map<String, List<ExecutionView>> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection()) {
      List<String> jobs = new ArrayList<>(JOBS.stream().map(SyncJob::jobName).toList());
      try (PreparedStatement ps =
          c.prepareStatement("SELECT DISTINCT job_name FROM cron_job_executions WHERE started_at >= ? ORDER BY job_name")) {
        Sql.setInstant(ps, 1, since);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!jobs.contains(rs.getString(1))) {
              jobs.add(rs.getString(1));
            }
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT " + EXECUTION_COLUMNS + " FROM cron_job_executions WHERE job_name = ? AND started_at >= ?"
                  + " ORDER BY started_at DESC, id DESC LIMIT ?")) {
        for (String job : jobs) {
          ps.setString(1, job);
          Sql.setInstant(ps, 2, since);
          ps.setInt(3, limit);
          List<ExecutionView> rows = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows.add(ExecutionLog.read(rs));
            }
          }
          out.put(job, rows);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading recent executions failed: " + e.getMessage(), e);
    }
  }

  // --- providers -----------------------------------------------------------------------------

  /** A provider's run figures over a window (from {@code execution_provider_figures}). */
  public record ProviderRuns(
      long syncs, long successes, long failures, long deferred, long durationMsTotal, long recordsChanged, long calls, long runs) {
    static final ProviderRuns NONE = new ProviderRuns(0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * A provider's connections now: counts by status, and the freshness of the active ones (age of
   * their last success, p50 and p95, in seconds; null when none has succeeded yet).
   */
  public record ProviderConnections(
      long active,
      long needsReauth,
      long disabled,
      Instant needsReauthSince,
      long neverSynced,
      long stale,
      Instant staleSince,
      Long freshnessP50Seconds,
      Long freshnessP95Seconds) {}

  /** Where a provider is synced: its job, whether that job is on a schedule, and its interval. */
  public record ProviderSchedule(Provider provider, Optional<SyncJob> job, boolean scheduled, Duration interval) {}

  public ProviderSchedule schedule(Provider p, Instant now) {
    Optional<SyncJob> job =
        List.of(SyncJob.FIFTEEN_MINUTES, SyncJob.THIRTY_MINUTES).stream()
            .filter(j -> schedules.providers(j).contains(p))
            .findFirst();
    boolean scheduled = job.isPresent() && schedules.scheduled(job.get());
    Duration nominal = Duration.ofMinutes(job.map(SyncJob::interval).orElse(p.defaultInterval()).equals("15min") ? 15 : 30);
    Duration interval = scheduled ? schedules.period(job.get(), now).orElse(nominal) : nominal;
    return new ProviderSchedule(p, job, scheduled, interval);
  }

  public Map<Provider, ProviderRuns> providerRuns(Instant since) {
    Map<Provider, ProviderRuns> out = new EnumMap<>(Provider.class);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT provider, SUM(syncs), SUM(successes), SUM(failures), SUM(deferred), SUM(duration_ms_total),"
                    + " SUM(records_changed), SUM(calls), COUNT(*)"
                    + " FROM execution_provider_figures WHERE started_at >= ? GROUP BY provider")) {
      Sql.setInstant(ps, 1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Optional<Provider> p = Provider.fromId(rs.getString(1));
          if (p.isPresent()) {
            out.put(
                p.get(),
                new ProviderRuns(
                    rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                    rs.getLong(8), rs.getLong(9)));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading provider figures failed: " + e.getMessage(), e);
    }
  }

  public Map<Provider, ProviderConnections> providerConnections(Instant now) {
    Map<Provider, ProviderConnections> out = new EnumMap<>(Provider.class);
    try (Connection c = dataSource.getConnection()) {
      Map<String, long[]> byStatus = new TreeMap<>();
      // An index-only scan of (provider, status, id).
      try (PreparedStatement ps =
          c.prepareStatement("SELECT provider, status, COUNT(*) FROM connections GROUP BY provider, status")) {
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long[] n = byStatus.computeIfAbsent(rs.getString(1), k -> new long[3]);
            switch (rs.getString(2)) {
              case "active" -> n[0] = rs.getLong(3);
              case "needs_reauth" -> n[1] = rs.getLong(3);
              default -> n[2] += rs.getLong(3);
            }
          }
        }
      }
      try (PreparedStatement fresh =
              c.prepareStatement(
                  "SELECT COUNT(*) FILTER (WHERE last_success_at IS NULL),"
                      + " COUNT(*) FILTER (WHERE COALESCE(last_success_at, created_at) < ?),"
                      + " MIN(COALESCE(last_success_at, created_at)),"
                      + " EXTRACT(EPOCH FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(? AS TIMESTAMP WITH TIME ZONE) - last_success_at)),"
                      + " EXTRACT(EPOCH FROM percentile_cont(0.95) WITHIN GROUP (ORDER BY CAST(? AS TIMESTAMP WITH TIME ZONE) - last_success_at))"
                      + " FROM connections WHERE provider = ? AND status = 'active'");
          PreparedStatement reauth =
              c.prepareStatement(
                  "SELECT MIN(COALESCE(last_attempt_at, updated_at)) FROM connections WHERE provider = ? AND status = 'needs_reauth'")) {
        for (Provider p : Provider.values()) {
          ProviderSchedule sched = schedule(p, now);
          Duration staleAfter = sched.interval().multipliedBy(settings.staleDataIntervals);
          long[] n = byStatus.getOrDefault(p.id(), new long[3]);
          Instant reauthSince = null;
          if (n[1] > 0) {
            reauth.setString(1, p.id());
            try (ResultSet rs = reauth.executeQuery()) {
              rs.next();
              reauthSince = Sql.instant(rs, 1);
            }
          }
          if (n[0] == 0) {
            out.put(p, new ProviderConnections(0, n[1], n[2], reauthSince, 0, 0, null, null, null));
            continue;
          }
          // Ages (now − last success) as intervals: percentile_cont interpolates them on both databases.
          Sql.setInstant(fresh, 1, now.minus(staleAfter));
          Sql.setInstant(fresh, 2, now);
          Sql.setInstant(fresh, 3, now);
          fresh.setString(4, p.id());
          try (ResultSet rs = fresh.executeQuery()) {
            rs.next();
            long stale = rs.getLong(2);
            Instant oldest = Sql.instant(rs, 3);
            out.put(
                p,
                new ProviderConnections(
                    n[0], n[1], n[2], reauthSince, rs.getLong(1), stale,
                    stale == 0 || oldest == null ? null : oldest.plus(staleAfter), seconds(rs, 4), seconds(rs, 5)));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading connection health failed: " + e.getMessage(), e);
    }
  }

  private static Long seconds(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : Math.max(0, Math.round(v));
  }

  /**
   * Per provider, the biggest group of connections that failed with one error in the provider's
   * latest run: the highest {@code last_run_execution} among its connections. Connections whose
   * sync failed on our own database are left out ({@link AlertRules#blamesProvider}). Connections in backoff
   * keep the run that last tried them, so an incident stays visible while its connections wait to be
   * retried, instead of flapping with the runs that skip them.
   */
  Map<Provider, IncidentFigures> incidents() {
    Map<Provider, IncidentFigures> out = new EnumMap<>(Provider.class);
    try (Connection c = dataSource.getConnection();
        PreparedStatement latest =
            c.prepareStatement("SELECT MAX(last_run_execution) FROM connections WHERE provider = ?");
        PreparedStatement outcomes =
            c.prepareStatement(
                "SELECT last_outcome, last_error, COUNT(*) FROM connections WHERE provider = ? AND last_run_execution = ?"
                    + " GROUP BY last_outcome, last_error");
        PreparedStatement started =
            c.prepareStatement("SELECT started_at FROM cron_job_executions WHERE id = ?")) {
      for (Provider p : Provider.values()) {
        latest.setString(1, p.id());
        long run;
        try (ResultSet rs = latest.executeQuery()) {
          rs.next();
          run = rs.getLong(1);
          if (rs.wasNull()) {
            continue;
          }
        }
        outcomes.setString(1, p.id());
        outcomes.setLong(2, run);
        long attempted = 0;
        Map<String, Long> failures = new TreeMap<>();
        try (ResultSet rs = outcomes.executeQuery()) {
          while (rs.next()) {
            long n = rs.getLong(3);
            boolean failed = "failure".equals(rs.getString(1)) || "needs_reauth".equals(rs.getString(1));
            if (failed && !AlertRules.blamesProvider(rs.getString(2))) {
              // Failed on our database, not on the provider: the provider was not really tried.
              continue;
            }
            attempted += n;
            if (failed) {
              failures.merge(rs.getString(2) == null ? "(no error text)" : rs.getString(2), n, Long::sum);
            }
          }
        }
        if (failures.isEmpty()) {
          continue;
        }
        Map.Entry<String, Long> worst = failures.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        started.setLong(1, run);
        Instant at = null;
        try (ResultSet rs = started.executeQuery()) {
          if (rs.next()) {
            at = Sql.instant(rs, 1);
          }
        }
        out.put(p, new IncidentFigures(run, at, worst.getKey(), worst.getValue(), attempted));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading provider incidents failed: " + e.getMessage(), e);
    }
  }

  // --- scheduler ---------------------------------------------------------------------------

  /**
   * Whether the scheduler keeps up with a job: the slot of its latest scheduled (or catch-up) run,
   * the slots that run reported missed, and the due slots with no run since.
   */
  public record SchedulerState(
      SyncJob job, boolean scheduled, Instant latestRunSlot, int missedSlots, Instant missedSince, List<Instant> overdueSlots) {}

  public SchedulerState schedulerState(SyncJob job, Instant now) {
    boolean scheduled = schedules.scheduled(job) && !schedules.providers(job).isEmpty();
    Instant slot = null;
    int missed = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT slot_start, missed_slots FROM cron_job_executions WHERE job_name = ?"
                    + " AND trigger_type IN ('schedule', 'catch_up') ORDER BY slot_start DESC LIMIT 1")) {
      ps.setString(1, job.jobName());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          slot = Sql.instant(rs, 1);
          missed = rs.getInt(2);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading the scheduler's state failed: " + e.getMessage(), e);
    }
    if (!scheduled) {
      return new SchedulerState(job, false, slot, 0, null, List.of());
    }
    Instant missedSince = null;
    if (slot != null && missed > 0) {
      Duration period = schedules.period(job, slot).orElse(Duration.ZERO);
      missedSince = slot.minus(period.multipliedBy(missed));
    }
    // Slots before this instance started are not its to miss: after downtime the scheduler runs one
    // catch-up run, which reports them as missed_slots.
    Instant reference = slot == null || slot.isBefore(startedAt) ? startedAt : slot;
    List<Instant> overdue = schedules.slotsBetween(job, reference, now.minus(settings.missedRunGrace), 1000);
    return new SchedulerState(job, true, slot, missed, missedSince, overdue);
  }

  // --- notifications -------------------------------------------------------------------------

  /** Per channel, notifications given up on since the channel's latest delivered one. */
  List<ChannelFigures> channels() {
    List<ChannelFigures> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT n.channel, COUNT(*), MIN(n.created_at), MAX(n.last_error) FROM monitoring_notifications n"
                    + " WHERE n.status = 'failed' AND n.id > COALESCE((SELECT MAX(d.id) FROM monitoring_notifications d"
                    + " WHERE d.channel = n.channel AND d.status = 'delivered'), 0) GROUP BY n.channel ORDER BY n.channel")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ChannelFigures(rs.getString(1), rs.getLong(2), Sql.instant(rs, 3), rs.getString(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading notification failures failed: " + e.getMessage(), e);
    }
  }

  // --- everything the rules need -------------------------------------------------------------

  public AlertFigures alertFigures(Instant now) {
    Duration window = settings.alertWindow;
    List<JobFigures> jobs = new ArrayList<>();
    for (JobStats s : jobStats(now.minus(window))) {
      Optional<SyncJob> job = SyncJob.fromJobName(s.jobName());
      SchedulerState sched = job.isPresent() ? schedulerState(job.get(), now) : null;
      boolean scheduled = sched != null && sched.scheduled();
      jobs.add(
          new JobFigures(
              s.jobName(), scheduled, s.finished(), s.failures(), s.firstFailure(), s.averageDurationMs(),
              s.firstExecution(), s.failureStreak(), s.streakSince(),
              scheduled ? sched.missedSlots() : 0, scheduled ? sched.missedSince() : null,
              scheduled ? sched.overdueSlots().size() : 0,
              scheduled && !sched.overdueSlots().isEmpty() ? sched.overdueSlots().get(0) : null));
    }
    Map<Provider, ProviderConnections> conns = providerConnections(now);
    if (latestConnections != null) {
      latestConnections.store(now, conns); // fresh anyway: spare the endpoint a recomputation
    }
    Map<Provider, IncidentFigures> incidents = incidents();
    List<ProviderFigures> providers = new ArrayList<>();
    for (Provider p : Provider.values()) {
      ProviderSchedule sched = schedule(p, now);
      ProviderConnections pc = conns.get(p);
      providers.add(
          new ProviderFigures(
              p.id(), sched.scheduled(), sched.interval(), pc.active(), pc.needsReauth(), pc.needsReauthSince(),
              pc.stale(), pc.staleSince(), incidents.get(p)));
    }
    return new AlertFigures(now, window, jobs, providers, channels());
  }
}
