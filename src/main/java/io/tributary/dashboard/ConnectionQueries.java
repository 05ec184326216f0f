package io.tributary.dashboard;

import io.tributary.connections.ConnectionStore;
import io.tributary.connections.ConnectionView;
import io.tributary.platform.SingleFlightCache;
import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.providers.Provider;
import io.tributary.sync.ExecutionLog;
import io.tributary.sync.ExecutionView;
import io.tributary.sync.SyncJob;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The integrations page's reads: a page of connections ({@link ConnectionPageSql}) and each
 * provider's health. Read-only; every statement is an index read (see {@link ConnectionPageSql}),
 * so the page stays fast with 100,000 connections.
 */
@ApplicationScoped
public class ConnectionQueries {

  static final String EXECUTION_COLUMNS = ExecutionLog.COLUMNS;

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Clock clock;

  /** How old the provider figures may be: one aggregate a second, however many operators look. */
  @Inject
  @ConfigProperty(name = "monitoring.cache.millis", defaultValue = "1000")
  long cacheMillis;

  private SingleFlightCache<Boolean, List<ProviderHealth>> health;

  public ConnectionQueries() {}

  @PostConstruct
  void init() {
    health = new SingleFlightCache<>(clock, Duration.ofMillis(Math.max(0, cacheMillis)));
  }

  ConnectionQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The page {@code f} asks for. */
  public ConnectionPage page(ConnectionFilter f) {
    boolean backwards = f.backwards();
    long key = backwards ? f.before() : f.after();
    try (Connection c = dataSource.getConnection()) {
      List<ConnectionView> fetched = run(c, ConnectionPageSql.page(f, backwards, key, f.size() + 1));
      boolean moreBehind = false;
      if (!fetched.isEmpty() && (backwards || key > 0)) {
        // Is there anything on the other side of this page? One more index probe, one row at most.
        // The first fetched row is the page's edge on that side (its first going forwards, its
        // last going backwards).
        long edge = fetched.get(0).id();
        moreBehind = !run(c, ConnectionPageSql.page(f, !backwards, edge, 1)).isEmpty();
      }
      return ConnectionPage.assemble(fetched, backwards, f.size(), moreBehind);
    } catch (SQLException e) {
      throw new IllegalStateException("Reading connections failed: " + e.getMessage(), e);
    }
  }

  private static List<ConnectionView> run(Connection c, ConnectionPageSql.Statement st)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(st.sql())) {
      for (int i = 0; i < st.params().size(); i++) {
        ps.setObject(i + 1, st.params().get(i));
      }
      List<ConnectionView> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(ConnectionStore.readView(rs));
        }
      }
      return out;
    }
  }

  /**
   * Every provider's connections by state, and its part of the latest finished run (at most
   * {@code monitoring.cache.millis} old: it counts every connection).
   */
  public List<ProviderHealth> providerHealth() {
    return health == null ? computeProviderHealth() : health.get(Boolean.TRUE, k -> computeProviderHealth());
  }

  private List<ProviderHealth> computeProviderHealth() {
    Map<Provider, long[]> counts = new EnumMap<>(Provider.class);
    for (Provider p : Provider.values()) {
      counts.put(p, new long[4]);
    }
    Map<Provider, ExecutionView> lastRun = new EnumMap<>(Provider.class);
    try (Connection c = dataSource.getConnection()) {
      // An index-only count over (provider, status, id); failing ones from the partial index.
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT provider, status, COUNT(*) FROM connections GROUP BY provider, status");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] n = Provider.fromId(rs.getString(1)).map(counts::get).orElse(null);
          if (n == null) {
            continue;
          }
          switch (rs.getString(2)) {
            case "active" -> n[0] += rs.getLong(3);
            case "needs_reauth" -> n[2] += rs.getLong(3);
            case "disabled" -> n[3] += rs.getLong(3);
            default -> {}
          }
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT provider, COUNT(*) FROM connections WHERE "
                      + HealthState.FAILING.condition()
                      + " GROUP BY provider");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] n = Provider.fromId(rs.getString(1)).map(counts::get).orElse(null);
          if (n != null) {
            n[1] = rs.getLong(2);
            n[0] -= rs.getLong(2);
          }
        }
      }
      // The latest finished run of each job, newest first: (job_name, started_at) index walks.
      List<ExecutionView> latest = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT " + EXECUTION_COLUMNS + " FROM cron_job_executions WHERE job_name = ?"
                  + " AND status <> 'running' ORDER BY started_at DESC, id DESC LIMIT 1")) {
        for (SyncJob job : SyncJob.values()) {
          ps.setString(1, job.jobName());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              latest.add(ExecutionLog.read(rs));
            }
          }
        }
      }
      latest.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
      for (ExecutionView e : latest) {
        for (String id : e.providerBreakdown().keySet()) {
          Provider.fromId(id).ifPresent(p -> lastRun.putIfAbsent(p, e));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading provider health failed: " + e.getMessage(), e);
    }
    List<ProviderHealth> out = new ArrayList<>();
    for (Provider p : Provider.values()) {
      long[] n = counts.get(p);
      ExecutionView run = lastRun.get(p);
      JsonObject figures = run == null ? null : run.providerBreakdown().getJsonObject(p.id());
      out.add(
          new ProviderHealth(
              p,
              n[0],
              n[1],
              n[2],
              n[3],
              run == null ? null : run.id(),
              run == null ? null : run.startedAt(),
              number(figures, "syncs"),
              number(figures, "successes"),
              number(figures, "failures"),
              number(figures, "averageDurationMs")));
    }
    return out;
  }

  static long number(JsonObject o, String key) {
    if (o == null || !o.containsKey(key) || o.isNull(key)) {
      return 0;
    }
    try {
      return o.getJsonNumber(key).longValue();
    } catch (ClassCastException e) {
      return 0;
    }
  }
}
