package io.tributary.monitoring;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Alert state in {@code monitoring_alerts}, so an alert opens once, resolves once, survives restarts
 * and is shared by every instance. Each transition is one short transaction that changes the alert
 * and queues its notifications together; the decisions that must happen once are conditional
 * statements the database arbitrates:
 *
 * <ul>
 *   <li>open: {@code INSERT … ON CONFLICT DO NOTHING} against the UNIQUE {@code open_key}: of
 *       several instances opening the same alert, one inserts (and notifies), the others insert
 *       nothing;
 *   <li>clear: an evaluation found the condition gone; counted once per evaluation key ({@code
 *       last_clear_key}), however many instances ran that evaluation;
 *   <li>resolve: {@code UPDATE … WHERE open_key IS NOT NULL AND clear_evaluations >= n}: one
 *       instance resolves (and notifies).
 * </ul>
 */
@ApplicationScoped
public class AlertStore {

  static final String COLUMNS =
      "id, alert_type, severity, subject_kind, subject, status, message, observed_value, threshold, since,"
          + " opened_at, last_seen_at, resolved_at";

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject MonitoringSettings settings;

  /** Open alerts, most severe first, then oldest first. */
  public List<StoredAlert> open() {
    return query(
        "SELECT " + COLUMNS + " FROM monitoring_alerts WHERE status = 'open'"
            + " ORDER BY CASE severity WHEN 'critical' THEN 0 ELSE 1 END, opened_at, id", null);
  }

  public long countOpen() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM monitoring_alerts WHERE status = 'open'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Reading alerts failed: " + e.getMessage(), e);
    }
  }

  public Optional<StoredAlert> find(long id) {
    List<StoredAlert> found = query("SELECT " + COLUMNS + " FROM monitoring_alerts WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * Opens the alert unless an occurrence of it is open already, and queues its "opened"
   * notifications in the same transaction.
   *
   * @return the new occurrence, or empty when it was open (here or by another instance)
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<StoredAlert> open(Alert a, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      long id;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO monitoring_alerts (alert_type, subject_kind, subject, severity, status, open_key, message,"
                  + " observed_value, threshold, since, opened_at, last_seen_at, clear_evaluations)"
                  + " VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
              new String[] {"id"})) {
        ps.setString(1, a.type());
        ps.setString(2, a.subjectKind());
        ps.setString(3, a.subject());
        ps.setString(4, a.severity());
        ps.setString(5, a.key());
        ps.setString(6, shorten(a.message(), 1000));
        setDouble(ps, 7, a.observedValue());
        setDouble(ps, 8, a.threshold());
        Sql.setInstant(ps, 9, a.since() != null && !a.since().isAfter(now) ? a.since() : now);
        Sql.setInstant(ps, 10, now);
        Sql.setInstant(ps, 11, now);
        if (ps.executeUpdate() == 0) {
          return Optional.empty();
        }
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      StoredAlert opened = read(c, id);
      Notifications.enqueue(c, settings, opened, Notifications.OPENED, now);
      return Optional.of(opened);
    } catch (SQLException e) {
      throw new IllegalStateException("Opening alert " + a.key() + " failed: " + e.getMessage(), e);
    }
  }

  /** The condition still holds: refresh what the alert shows, and restart its count of clear evaluations. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void stillHolds(long id, Alert a, Instant now) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE monitoring_alerts SET message = ?, observed_value = ?, threshold = ?, severity = ?, last_seen_at = ?,"
                    + " clear_evaluations = 0, last_clear_key = NULL WHERE id = ? AND status = 'open'")) {
      ps.setString(1, shorten(a.message(), 1000));
      setDouble(ps, 2, a.observedValue());
      setDouble(ps, 3, a.threshold());
      ps.setString(4, a.severity());
      Sql.setInstant(ps, 5, now);
      ps.setLong(6, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Updating alert " + id + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * One evaluation ({@code evaluationKey}) found the condition clear. The alert resolves once it has
   * been clear for {@code resolveAfter} distinct evaluations, queuing its "resolved" notifications
   * in the same transaction.
   *
   * @return the resolved occurrence, or empty when it stays open (or another instance resolved it)
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<StoredAlert> clear(long id, String evaluationKey, int resolveAfter, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE monitoring_alerts SET clear_evaluations = clear_evaluations + 1, last_clear_key = ?"
                  + " WHERE id = ? AND open_key IS NOT NULL AND (last_clear_key IS NULL OR last_clear_key <> ?)")) {
        ps.setString(1, evaluationKey);
        ps.setLong(2, id);
        ps.setString(3, evaluationKey);
        ps.executeUpdate();
      }
      int resolved;
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE monitoring_alerts SET status = 'resolved', open_key = NULL, resolved_at = ?"
                  + " WHERE id = ? AND open_key IS NOT NULL AND clear_evaluations >= ?")) {
        Sql.setInstant(ps, 1, now);
        ps.setLong(2, id);
        ps.setInt(3, resolveAfter);
        resolved = ps.executeUpdate();
      }
      if (resolved == 0) {
        return Optional.empty();
      }
      StoredAlert done = read(c, id);
      Notifications.enqueue(c, settings, done, Notifications.RESOLVED, now);
      return Optional.of(done);
    } catch (SQLException e) {
      throw new IllegalStateException("Clearing alert " + id + " failed: " + e.getMessage(), e);
    }
  }

  private StoredAlert read(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM monitoring_alerts WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return row(rs);
      }
    }
  }

  private List<StoredAlert> query(String sql, Long id) {
    List<StoredAlert> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (id != null) {
        ps.setLong(1, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading alerts failed: " + e.getMessage(), e);
    }
  }

  private static StoredAlert row(ResultSet rs) throws SQLException {
    double observed = rs.getDouble(8);
    Double o = rs.wasNull() ? null : observed;
    double threshold = rs.getDouble(9);
    Double t = rs.wasNull() ? null : threshold;
    return new StoredAlert(
        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), o, t, Sql.instant(rs, 10), Sql.instant(rs, 11), Sql.instant(rs, 12), Sql.instant(rs, 13));
  }

  private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  static String shorten(String s, int max) {
    return s.length() > max ? s.substring(0, max - 1) + "…" : s;
  }
}
