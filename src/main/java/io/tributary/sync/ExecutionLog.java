package io.tributary.sync;

import static io.tributary.platform.JsonSupport.JSON;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.platform.time.DatabaseTime;
import io.tributary.platform.web.ApiError;
import io.tributary.providers.Provider;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The seed's {@code cron_job_executions} log. A run is a row written at start ({@code running}) and
 * completed at the end; everything that must happen once is decided here, in the database:
 *
 * <ul>
 *   <li>one row per scheduled slot: the unique key (job_name, slot_start);
 *   <li>no overlap: the job's row in {@code sync_job_locks} is claimed by a conditional UPDATE;
 *   <li>a repeated {@code Idempotency-Key} returns the execution it started.
 * </ul>
 *
 * The run's figures are aggregated in SQL from the connections it touched ({@code
 * last_run_execution}), so they are exact even when several instances shared the work or one died.
 */
@ApplicationScoped
public class ExecutionLog {

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Clock clock;
  /** Heartbeats are written and judged in the database's time, shared by all instances. */
  @Inject @DatabaseTime Clock leaseClock;

  @Inject Event<RunFinished> runFinished;

  /** Why a run did not start. */
  public static final class NotStarted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final Long runningExecutionId;
    public final boolean slotTaken;

    NotStarted(Long runningExecutionId, boolean slotTaken) {
      super(slotTaken ? "slot already run" : "job running", null, false, false);
      this.runningExecutionId = runningExecutionId;
      this.slotTaken = slotTaken;
    }
  }

  /** The columns {@link #read} reads, in its order. */
  public static final String COLUMNS =
      "id, job_name, interval_name, trigger_type, slot_start, started_at, finished_at, duration_ms, status,"
          + " users_processed, providers_synced, success_count, failure_count, records_changed, error_summary,"
          + " provider_breakdown, instance_id, missed_slots";

  /**
   * Starts a run: claims the job's lock and inserts the running row in one transaction.
   *
   * @throws NotStarted when the job is already running (with its id) or the slot already ran
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public long start(SyncJob job, String trigger, Instant slot, String idempotencyKey, int missedSlots, String instanceId) {
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement lock =
          c.prepareStatement("UPDATE sync_job_locks SET execution_id = 0 WHERE job_name = ? AND execution_id IS NULL")) {
        lock.setString(1, job.jobName());
        if (lock.executeUpdate() == 0) {
          throw new NotStarted(runningId(c, job).orElse(null), false);
        }
      }
      long id;
      try (PreparedStatement ins =
          c.prepareStatement(
              "INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at,"
                  + " status, instance_id, heartbeat_at, idempotency_key, missed_slots)"
                  + " VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
              new String[] {"id"})) {
        ins.setString(1, job.jobName());
        ins.setString(2, job.interval());
        ins.setString(3, trigger);
        Sql.setInstant(ins, 4, slot);
        Sql.setInstant(ins, 5, now);
        ins.setString(6, instanceId);
        Sql.setInstant(ins, 7, leaseClock.instant());
        ins.setString(8, idempotencyKey);
        ins.setInt(9, missedSlots);
        ins.executeUpdate();
        try (ResultSet keys = ins.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState())) {
          throw new NotStarted(null, true); // unique slot or idempotency key: the tx rolls back the lock too
        }
        throw e;
      }
      try (PreparedStatement own =
          c.prepareStatement("UPDATE sync_job_locks SET execution_id = ? WHERE job_name = ?")) {
        own.setLong(1, id);
        own.setString(2, job.jobName());
        own.executeUpdate();
      }
      return id;
    } catch (SQLException e) {
      throw new IllegalStateException("Starting the run failed: " + e.getMessage(), e);
    }
  }

  private static Optional<Long> runningId(Connection c, SyncJob job) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT execution_id FROM sync_job_locks WHERE job_name = ?")) {
      ps.setString(1, job.jobName());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long id = rs.getLong(1);
          return rs.wasNull() || id == 0 ? Optional.empty() : Optional.of(id);
        }
        return Optional.empty();
      }
    }
  }

  public Optional<Long> byIdempotencyKey(String key) {
    return queryLong("SELECT id FROM cron_job_executions WHERE idempotency_key = ?", key);
  }

  public boolean slotRan(SyncJob job, Instant slot) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM cron_job_executions WHERE job_name = ? AND slot_start = ?")) {
      ps.setString(1, job.jobName());
      Sql.setInstant(ps, 2, slot);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The slot of the job's latest scheduled (or catch-up) run, for missed-slot accounting. */
  public Optional<Instant> lastScheduledSlot(SyncJob job) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT MAX(slot_start) FROM cron_job_executions WHERE job_name = ? AND trigger_type IN ('schedule', 'catch_up')")) {
      ps.setString(1, job.jobName());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(Sql.instant(rs, 1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void heartbeat(long executionId) {
    update("UPDATE cron_job_executions SET heartbeat_at = ? WHERE id = ? AND status = 'running'", leaseClock.instant(), executionId);
  }

  /** Completes a run from the figures in the database. Idempotent: only a running row changes. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void finish(long executionId, String status, String errorSummary, String instanceId) {
    Instant now = clock.instant();
    boolean completed;
    try (Connection c = dataSource.getConnection()) {
      Figures f = figures(c, executionId);
      String previousOwner = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT instance_id FROM cron_job_executions WHERE id = ?")) {
        ps.setLong(1, executionId);
        try (ResultSet rs = ps.executeQuery()) {
          previousOwner = rs.next() ? rs.getString(1) : null;
        }
      }
      String finalStatus = status != null ? status : RunStatus.of(f.successes, f.failures, false);
      String summary = errorSummary != null ? errorSummary : f.errorSummary();
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE cron_job_executions SET status = ?, finished_at = ?,"
                  + " duration_ms = ?, users_processed = ?, providers_synced = ?, success_count = ?,"
                  + " failure_count = ?, records_changed = ?, error_summary = ?, provider_breakdown = ?,"
                  + " instance_id = ?, heartbeat_at = ? WHERE id = ? AND status = 'running'")) {
        Instant started = startedAt(c, executionId);
        ps.setString(1, finalStatus);
        Sql.setInstant(ps, 2, now);
        ps.setLong(3, started == null ? 0 : Duration.between(started, now).toMillis());
        ps.setInt(4, f.users);
        ps.setInt(5, f.syncs);
        ps.setInt(6, f.successes);
        ps.setInt(7, f.failures);
        ps.setLong(8, f.recordsChanged);
        ps.setString(9, summary);
        ps.setString(10, f.breakdownJson());
        ps.setString(11, instanceId);
        Sql.setInstant(ps, 12, leaseClock.instant());
        ps.setLong(13, executionId);
        completed = ps.executeUpdate() == 1;
      }
      try (PreparedStatement chunks =
          c.prepareStatement("UPDATE execution_chunks SET status = 'cancelled' WHERE execution_id = ? AND status IN ('pending', 'claimed')")) {
        chunks.setLong(1, executionId);
        chunks.executeUpdate();
      }
      if ("interrupted".equals(finalStatus) && previousOwner != null) {
        // The instance that owned the run is gone: free the connection leases it held right away
        // (its id is unique per process, so no live instance's lease is touched). Leases of other
        // dead instances expire on their own.
        try (PreparedStatement leases =
            c.prepareStatement(
                "UPDATE connections SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?")) {
          leases.setString(1, previousOwner);
          leases.executeUpdate();
        }
      }
      try (PreparedStatement unlock =
          c.prepareStatement("UPDATE sync_job_locks SET execution_id = NULL WHERE execution_id = ?")) {
        unlock.setLong(1, executionId);
        unlock.executeUpdate();
      }
      // Only the call that completed the row announces it (finish is idempotent); observers run
      // after this transaction commits (TransactionPhase.AFTER_SUCCESS).
      if (completed && runFinished != null) {
        runFinished.fire(new RunFinished(executionId, jobName(c, executionId), finalStatus));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Completing the run failed: " + e.getMessage(), e);
    }
  }

  private static String jobName(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT job_name FROM cron_job_executions WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Runs whose instance stopped heartbeating: they are marked interrupted and their lock freed. */
  public List<Long> stale(Duration leaseTimeout) {
    List<Long> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM cron_job_executions WHERE status = 'running' AND heartbeat_at < ?")) {
      Sql.setInstant(ps, 1, leaseClock.instant().minus(leaseTimeout));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public Optional<ExecutionView> find(long id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cron_job_executions WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static ExecutionView read(ResultSet rs) throws SQLException {
    long duration = rs.getLong(8);
    Long durationMs = rs.wasNull() ? null : duration;
    return new ExecutionView(
        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Sql.instant(rs, 5),
        Sql.instant(rs, 6), Sql.instant(rs, 7), durationMs, rs.getString(9), rs.getInt(10),
        rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getLong(14), rs.getString(15),
        breakdown(rs.getString(16)), rs.getString(17), rs.getInt(18));
  }

  private static jakarta.json.JsonObject breakdown(String json) {
    if (json == null || json.isBlank()) {
      return jakarta.json.JsonValue.EMPTY_JSON_OBJECT;
    }
    try (var r = JSON.createReader(new java.io.StringReader(json))) {
      return r.readObject();
    }
  }

  private static Instant startedAt(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT started_at FROM cron_job_executions WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Sql.instant(rs, 1) : null;
      }
    }
  }

  /** Per-provider figures of one run, aggregated in SQL from the connections it touched. */
  static final class Figures {
    int users;
    int syncs;
    int successes;
    int failures;
    long recordsChanged;
    final Map<String, JsonObjectBuilder> providers = new TreeMap<>();
    final List<String> errors = new ArrayList<>();

    String breakdownJson() {
      JsonObjectBuilder all = JSON.createObjectBuilder();
      providers.forEach(all::add);
      return all.build().toString();
    }

    String errorSummary() {
      if (errors.isEmpty()) {
        return null;
      }
      String s = String.join("; ", errors);
      return s.length() > 2000 ? s.substring(0, 2000) : s;
    }
  }

  /**
   * The connections a run synced, as one index range per provider of {@code connections_provider_run_idx
   * (provider, last_run_execution)}: naming every provider lets the index be read without an index
   * of its own on {@code last_run_execution}, which every sync's outcome would have to write (schema 011).
   */
  static final String A_RUNS_ROWS =
      Arrays.stream(Provider.values())
              .map(p -> "'" + p.id() + "'")
              .collect(Collectors.joining(", ", "provider IN (", ")"))
          + " AND last_run_execution = ?";

  static Figures figures(Connection c, long executionId) throws SQLException {
    Figures f = new Figures();
    Map<String, long[]> byProvider = new TreeMap<>(); // syncs, successes, failures, deferred, durationSum, records, calls
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT provider, last_outcome, COUNT(*), COALESCE(SUM(last_duration_ms), 0),"
                + " COALESCE(SUM(last_records_changed), 0), COALESCE(SUM(last_calls), 0)"
                + " FROM connections WHERE " + A_RUNS_ROWS + " GROUP BY provider, last_outcome")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] a = byProvider.computeIfAbsent(rs.getString(1), k -> new long[7]);
          String outcome = rs.getString(2);
          long n = rs.getLong(3);
          a[0] += n;
          if ("success".equals(outcome)) {
            a[1] += n;
            a[5] += rs.getLong(5);
          } else if ("deferred".equals(outcome)) {
            a[3] += n;
          } else {
            a[2] += n;
          }
          a[4] += rs.getLong(4);
          a[6] += rs.getLong(6);
        }
      }
    }
    for (Map.Entry<String, long[]> e : byProvider.entrySet()) {
      long[] a = e.getValue();
      f.syncs += (int) a[0];
      f.successes += (int) a[1];
      f.failures += (int) a[2];
      f.recordsChanged += a[5];
      f.providers.put(
          e.getKey(),
          JSON.createObjectBuilder()
              .add("syncs", a[0])
              .add("successes", a[1])
              .add("failures", a[2])
              .add("deferred", a[3])
              .add("averageDurationMs", a[0] == 0 ? 0 : a[4] / a[0])
              .add("recordsChanged", a[5])
              .add("calls", a[6]));
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(DISTINCT user_id) FROM connections WHERE " + A_RUNS_ROWS)) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        f.users = rs.getInt(1);
      }
    }
    // The most common errors of the run, short, per provider (never a token: errors are built from
    // provider error codes, see ProviderException).
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT provider, last_error, COUNT(*) AS n FROM connections WHERE " + A_RUNS_ROWS
                + " AND last_outcome IN ('failure', 'needs_reauth') GROUP BY provider, last_error ORDER BY n DESC LIMIT 5")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          f.errors.add(rs.getString(1) + ": " + rs.getString(2) + " (" + rs.getLong(3) + ")");
        }
      }
    }
    return f;
  }

  private Optional<Long> queryLong(String sql, String arg) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private void update(String sql, Instant at, long id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.setInstant(ps, 1, at);
      ps.setLong(2, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static RuntimeException notFound(long id) {
    return ApiError.notFound("No execution " + id + ".");
  }
}
