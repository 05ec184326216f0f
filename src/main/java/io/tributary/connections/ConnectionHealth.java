package io.tributary.connections;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.providers.RecordBatch;
import io.tributary.providers.StoreResult;
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
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes a connection's health after each sync attempt, and decides its backoff: a connection that
 * keeps failing is not tried again before {@code next_attempt_at}, doubling from {@code
 * sync.backoff.base.minutes} up to {@code sync.backoff.max.minutes}; a rate-limited one waits until
 * the provider's reset.
 */
@ApplicationScoped
public class ConnectionHealth {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ConnectionHealth.class.getName());

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Clock clock;

  @Inject
  @ConfigProperty(name = "sync.backoff.base.minutes", defaultValue = "15")
  long backoffBaseMinutes;

  @Inject
  @ConfigProperty(name = "sync.backoff.max.minutes", defaultValue = "720")
  long backoffMaxMinutes;

  /** Backoff after {@code failures} consecutive failures: none after the first, then doubling. */
  public static Duration backoff(int failures, long baseMinutes, long maxMinutes) {
    if (failures < 2) {
      return Duration.ZERO;
    }
    long minutes = Math.min(maxMinutes, baseMinutes << Math.min(20, failures - 2));
    return Duration.ofMinutes(minutes);
  }

  /**
   * Records the outcome of one attempt, releases the lease, and marks which run made it (so the
   * run's figures are aggregated from the rows, and the run does not sync it twice). One statement
   * that commits on its own (the failure path reads the failure count first, but only the lease
   * holder writes these columns): no JTA transaction per sync.
   *
   * <p>Only while {@code leaseOwner} still holds the lease: that makes it idempotent. A commit whose
   * answer was lost (PostgreSQL cut the connection after committing) is retried by the caller; the
   * retry then finds the lease released and records nothing, instead of counting the failure twice
   * (two failures in a row put a connection into backoff for 15 minutes).
   */
  // Outside any JTA transaction: ConnectionSync.sync, the caller, is NOT_SUPPORTED (one interception per sync).
  public void record(SyncOutcome o, Long executionId, String leaseOwner) {
    record(o, executionId, leaseOwner, null);
  }

  /**
   * Records the outcome together with the sync's last, kept-back page ({@code page}, plain: see
   * {@link RecordStore#isPlainPage}; null for none): on PostgreSQL one statement writes the page's
   * records and cursors, counts them into the connection, and records the outcome. Most syncs are
   * one or two small pages, so this saves them one round trip and one row version of the connection
   * per page. Retrying it is safe: records already written count as unchanged the second time.
   *
   * @return what writing the page changed (nothing without a page)
   */
  public StoreResult record(SyncOutcome o, Long executionId, String leaseOwner, RecordBatch page) {
    Instant now = clock.instant();
    String[] statements = STATEMENTS.get(o.status());
    if (statements == null) {
      return StoreResult.NONE; // skipped: nothing was attempted
    }
    String sql = statements[page == null ? 0 : 1];
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      // The page's parameters come first, the outcome's follow from index b + 1.
      int b = page == null ? 0 : RecordStore.bindPageParts(c, ps, o.connectionId(), page, now) - 1;
      Sql.setInstant(ps, b + 1, now);
      switch (o.status()) {
        case "success" -> {
          Sql.setInstant(ps, b + 2, now);
          ps.setInt(b + 3, o.recordsChanged());
          tail(ps, b + 4, o, executionId, leaseOwner);
        }
        case "deferred" -> {
          ps.setString(b + 2, shortError(o.error()));
          Sql.setInstant(ps, b + 3, o.retryAt());
          tail(ps, b + 4, o, executionId, leaseOwner);
        }
        case "needs_reauth" -> {
          ps.setString(b + 2, shortError(o.error()));
          ps.setString(b + 3, shortError(o.error()));
          tail(ps, b + 4, o, executionId, leaseOwner);
        }
        default -> {
          ps.setString(b + 2, shortError(o.error()));
          int failuresAfter = currentFailures(c, o.connectionId()) + 1;
          Duration wait = backoff(failuresAfter, backoffBaseMinutes, backoffMaxMinutes);
          Sql.setInstant(ps, b + 3, wait.isZero() ? null : now.plus(wait));
          tail(ps, b + 4, o, executionId, leaseOwner);
        }
      }
      StoreResult written = StoreResult.NONE;
      boolean recorded;
      if (page == null) {
        recorded = ps.executeUpdate() > 0;
      } else {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          written = new StoreResult(rs.getInt(1), rs.getInt(2), 0);
          recorded = rs.getInt(3) > 0;
        }
      }
      if (!recorded) {
        LOG.info("Outcome of connection " + o.connectionId() + " not recorded again: its lease is no longer "
            + leaseOwner + "'s (recorded already, or taken over)");
      }
      return written;
    } catch (SQLException e) {
      throw new IllegalStateException("Recording connection health failed: " + e.getMessage(), e);
    }
  }

  /**
   * Per outcome status, its statement without a page and with one, made once. Each sets the
   * status's own columns (bound first, from index 1 after the page's), then what every attempt
   * records ({@link #tail}).
   */
  private static final java.util.Map<String, String[]> STATEMENTS =
      java.util.Map.of(
          "success", both(page -> "last_attempt_at = ?, last_success_at = ?, last_error = NULL, consecutive_failures = 0,"
              + " last_records_changed = ?" + (page ? " + (SELECT COUNT(*) FROM up)" : "") + ", next_attempt_at = NULL"),
          "deferred", both(page -> "last_attempt_at = ?, last_error = ?, next_attempt_at = ?"),
          "needs_reauth", both(page -> "last_attempt_at = ?, last_error = ?, status = 'needs_reauth', status_reason = ?,"
              + " consecutive_failures = consecutive_failures + 1"),
          "failure", both(page -> "last_attempt_at = ?, last_error = ?, consecutive_failures = consecutive_failures + 1,"
              + " next_attempt_at = ?"));

  private static String[] both(java.util.function.Function<Boolean, String> columns) {
    return new String[] {outcomeUpdate(columns.apply(false), false), outcomeUpdate(columns.apply(true), true)};
  }

  /**
   * The outcome's {@code UPDATE}; with a page, behind the page's parts ({@link
   * RecordStore#PG_PAGE_PARTS}: its upsert is {@code up}), counting the page's new records into the
   * connection, and answering what the page changed and whether the outcome was recorded.
   */
  private static String outcomeUpdate(String columns, boolean page) {
    String update =
        "UPDATE connections SET " + (page ? "records_count = records_count + (SELECT COUNT(*) FROM up WHERE inserted), " : "")
            + columns
            // Common to every attempt: the run that made it, its outcome and cost, and the lease released.
            + ", last_run_execution = COALESCE(?, last_run_execution), last_outcome = ?, last_duration_ms = ?,"
            + " last_calls = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?";
    return !page
        ? update
        : "WITH " + RecordStore.PG_PAGE_PARTS + ", outcome AS (" + update + " RETURNING 1)"
            + " SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted), (SELECT COUNT(*) FROM outcome) FROM up";
  }

  private static void tail(PreparedStatement ps, int i, SyncOutcome o, Long executionId, String leaseOwner) throws SQLException {
    if (executionId == null) {
      ps.setNull(i, java.sql.Types.BIGINT);
    } else {
      ps.setLong(i, executionId);
    }
    ps.setString(i + 1, o.status());
    ps.setLong(i + 2, o.durationMs());
    ps.setInt(i + 3, o.calls());
    ps.setLong(i + 4, o.connectionId());
    ps.setString(i + 5, leaseOwner);
  }

  private static int currentFailures(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT consecutive_failures FROM connections WHERE id = ?")) {
      ps.setLong(1, id);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  static String shortError(String e) {
    if (e == null) {
      return null;
    }
    return e.length() > 500 ? e.substring(0, 500) : e;
  }
}
