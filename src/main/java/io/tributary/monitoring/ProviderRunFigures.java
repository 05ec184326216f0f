package io.tributary.monitoring;

import static io.tributary.platform.JsonSupport.JSON;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Copies each finished run's {@code provider_breakdown} (JSON text) into {@code
 * execution_provider_figures} rows, once, so per-provider figures over a window are SQL aggregates on
 * PostgreSQL and H2 alike. Written right after a run finishes ({@link RunObserver}); the periodic
 * tick fills in any run that was missed (an instance that died between the two), and the first tick
 * after an upgrade fills in the last week.
 */
@ApplicationScoped
public class ProviderRunFigures {

  private static final Logger LOG = Logger.getLogger(ProviderRunFigures.class.getName());

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  /** Records one run's figures (no-op if recorded, running or without provider syncs). */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public void record(long executionId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, job_name, started_at, provider_breakdown FROM cron_job_executions WHERE id = ? AND status <> 'running'")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          insert(c, rs.getLong(1), rs.getString(2), Sql.instant(rs, 3), rs.getString(4));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Recording provider figures of execution " + executionId + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Records every finished run started since {@code since} that is not recorded yet.
   *
   * @return the runs recorded now
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public int recordMissing(Instant since) {
    int recorded = 0;
    try (Connection c = dataSource.getConnection()) {
      Set<Long> done = new HashSet<>();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT DISTINCT execution_id FROM execution_provider_figures WHERE started_at >= ?")) {
        Sql.setInstant(ps, 1, since);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            done.add(rs.getLong(1));
          }
        }
      }
      // LENGTH: runs with an empty breakdown ({}) have nothing to record (and H2 cannot compare TEXT).
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, job_name, started_at, provider_breakdown FROM cron_job_executions"
                  + " WHERE started_at >= ? AND status <> 'running' AND LENGTH(provider_breakdown) > 2")) {
        Sql.setInstant(ps, 1, since);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!done.contains(rs.getLong(1))) {
              insert(c, rs.getLong(1), rs.getString(2), Sql.instant(rs, 3), rs.getString(4));
              recorded++;
            }
          }
        }
      }
      return recorded;
    } catch (SQLException e) {
      throw new IllegalStateException("Recording provider figures failed: " + e.getMessage(), e);
    }
  }

  private static void insert(Connection c, long id, String job, Instant started, String breakdown) throws SQLException {
    JsonObject all = parse(id, breakdown);
    if (all.isEmpty()) {
      return;
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO execution_provider_figures (execution_id, provider, job_name, started_at, syncs, successes,"
                + " failures, deferred, duration_ms_total, records_changed, calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      for (Map.Entry<String, JsonValue> e : all.entrySet()) {
        if (e.getValue().getValueType() != JsonValue.ValueType.OBJECT) {
          continue;
        }
        JsonObject p = e.getValue().asJsonObject();
        long syncs = number(p, "syncs");
        ins.setLong(1, id);
        ins.setString(2, e.getKey());
        ins.setString(3, job);
        Sql.setInstant(ins, 4, started);
        ins.setLong(5, syncs);
        ins.setLong(6, number(p, "successes"));
        ins.setLong(7, number(p, "failures"));
        ins.setLong(8, number(p, "deferred"));
        ins.setLong(9, number(p, "averageDurationMs") * syncs);
        ins.setLong(10, number(p, "recordsChanged"));
        ins.setLong(11, number(p, "calls"));
        ins.executeUpdate();
      }
    }
  }

  static JsonObject parse(long id, String breakdown) {
    if (breakdown == null || breakdown.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    try (JsonReader r = JSON.createReader(new StringReader(breakdown))) {
      return r.readObject();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Execution " + id + " has an unreadable provider_breakdown; skipped", e);
      return JsonValue.EMPTY_JSON_OBJECT;
    }
  }

  private static long number(JsonObject o, String name) {
    JsonValue v = o.get(name);
    return v instanceof JsonNumber n ? n.longValue() : 0;
  }
}
