package io.tributary.dashboard;

import io.tributary.platform.JsonSupport;
import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The two figures of the monitoring page that the monitoring service does not compute: each job's
 * p95 duration, and the finished runs behind the per-provider charts. Read-only, on the execution
 * log's {@code started_at} indexes.
 */
@ApplicationScoped
public class RunHistory {

  /** At most this many runs feed the charts (a week of both schedules is about 1,000). */
  static final int MAX_CHART_RUNS = 5000;

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  public RunHistory() {}

  RunHistory(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Per job, the 95th percentile of its finished executions' durations since {@code since}, in ms. */
  public Map<String, Long> p95Durations(Instant since) {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT job_name, percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)"
                    + " FROM cron_job_executions WHERE started_at >= ? AND status <> 'running'"
                    + " AND duration_ms IS NOT NULL GROUP BY job_name")) {
      Sql.setInstant(ps, 1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double v = rs.getDouble(2);
          if (!rs.wasNull()) {
            out.put(rs.getString(1), Math.round(v));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading job durations failed: " + e.getMessage(), e);
    }
  }

  /** The finished runs started since {@code since}, newest first, with their provider breakdown. */
  public List<ProviderCharts.Run> finishedRuns(Instant since) {
    List<ProviderCharts.Run> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT started_at, provider_breakdown FROM cron_job_executions WHERE started_at >= ?"
                    + " AND status <> 'running' ORDER BY started_at DESC LIMIT " + MAX_CHART_RUNS)) {
      Sql.setInstant(ps, 1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ProviderCharts.Run(Sql.instant(rs, 1), parse(rs.getString(2))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading runs failed: " + e.getMessage(), e);
    }
  }

  static JsonObject parse(String json) {
    if (json == null || json.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    // The cached provider: up to 5,000 breakdowns are parsed per chart.
    try (JsonReader r = JsonSupport.JSON.createReader(new StringReader(json))) {
      return r.readObject();
    } catch (RuntimeException e) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
  }
}
