package io.tributary.sync;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.platform.time.DatabaseTime;
import io.tributary.providers.Provider;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A run's work as ranges of connection ids ("chunks") that any instance can claim, in the manner of
 * db-scheduler: claim with {@code FOR UPDATE SKIP LOCKED}, keep a lease, finish; an expired lease
 * means the instance died and the chunk is claimed again. The engine never holds more than one
 * chunk's ids per provider in memory, whatever the number of connections.
 */
@ApplicationScoped
public class WorkQueue {

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Clock clock;
  /** Leases are compared in the database's time, shared by all instances. */
  @Inject @DatabaseTime Clock leaseClock;

  public record Chunk(long id, long executionId, Provider provider, long fromId, long toId) {}

  /** Splits the active connections of each provider into chunks of {@code chunkSize} ids. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int plan(long executionId, Set<Provider> providers, int chunkSize) {
    int chunks = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement bounds =
            c.prepareStatement(
                "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM connections"
                    + " WHERE provider = ? AND status = 'active') t WHERE MOD(rn - 1, ?) = 0 ORDER BY id");
        PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO execution_chunks (execution_id, provider, from_id, to_id) VALUES (?, ?, ?, ?)")) {
      for (Provider p : providers) {
        bounds.setString(1, p.id());
        bounds.setInt(2, chunkSize);
        List<Long> starts = new ArrayList<>();
        try (ResultSet rs = bounds.executeQuery()) {
          while (rs.next()) {
            starts.add(rs.getLong(1));
          }
        }
        for (int i = 0; i < starts.size(); i++) {
          ins.setLong(1, executionId);
          ins.setString(2, p.id());
          ins.setLong(3, starts.get(i));
          // The last chunk is open-ended: a connection registered during the run is still covered.
          ins.setLong(4, i + 1 < starts.size() ? starts.get(i + 1) : Long.MAX_VALUE);
          ins.addBatch();
          chunks++;
        }
      }
      if (chunks > 0) {
        ins.executeBatch();
      }
      return chunks;
    } catch (SQLException e) {
      throw new IllegalStateException("Planning the run failed: " + e.getMessage(), e);
    }
  }

  /**
   * Claims one pending (or abandoned) chunk of a provider for this instance, if any is left.
   *
   * @param held chunks this instance's dispatchers are working on now: never claimed again, although
   *     this instance owns them (an owned chunk that no dispatcher holds was left by a failure, and
   *     is taken back at once)
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<Chunk> claim(long executionId, Provider provider, String owner, Instant leaseUntil, Set<Long> held) {
    Instant now = leaseClock.instant();
    try (Connection c = dataSource.getConnection()) {
      Chunk chunk = null;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, from_id, to_id FROM execution_chunks WHERE execution_id = ? AND provider = ?"
                  // A chunk this instance claimed before a failure (e.g. the database restarted) is
                  // taken back at once instead of waiting for its own lease to run out.
                  + " AND (status = 'pending' OR (status = 'claimed' AND (lease_until < ? OR owner = ?)))"
                  + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
        ps.setLong(1, executionId);
        ps.setString(2, provider.id());
        Sql.setInstant(ps, 3, now);
        ps.setString(4, owner);
        ps.setInt(5, held.size() + 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (chunk == null && rs.next()) {
            if (!held.contains(rs.getLong(1))) {
              chunk = new Chunk(rs.getLong(1), executionId, provider, rs.getLong(2), rs.getLong(3));
            }
          }
        }
      }
      if (chunk == null) {
        return Optional.empty();
      }
      try (PreparedStatement up =
          c.prepareStatement("UPDATE execution_chunks SET status = 'claimed', owner = ?, lease_until = ? WHERE id = ?")) {
        up.setString(1, owner);
        Sql.setInstant(up, 2, leaseUntil);
        up.setLong(3, chunk.id());
        up.executeUpdate();
      }
      return Optional.of(chunk);
    } catch (SQLException e) {
      throw new IllegalStateException("Claiming work failed: " + e.getMessage(), e);
    }
  }

  /** Extends the lease; false when the chunk was taken over (this instance was presumed dead). */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean extend(Chunk chunk, String owner, Instant leaseUntil) {
    return update(
            "UPDATE execution_chunks SET lease_until = ? WHERE id = ? AND owner = ? AND status = 'claimed'",
            chunk.id(), owner, leaseUntil)
        == 1;
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void done(Chunk chunk, String owner) {
    update(
        "UPDATE execution_chunks SET status = 'done', lease_until = ? WHERE id = ? AND owner = ? AND status = 'claimed'",
        chunk.id(), owner, leaseClock.instant());
  }

  private int update(String sql, long id, String owner, Instant at) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.setInstant(ps, 1, at);
      ps.setLong(2, id);
      ps.setString(3, owner);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The ids of a chunk still to sync in this run: active, due, not yet done by this execution. */
  public List<Long> connectionsToSync(Chunk chunk) {
    List<Long> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM connections WHERE provider = ? AND id >= ? AND id < ? AND status = 'active'"
                    + " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
                    + " AND (last_run_execution IS NULL OR last_run_execution <> ?) ORDER BY id")) {
      ps.setString(1, chunk.provider().id());
      ps.setLong(2, chunk.fromId());
      ps.setLong(3, chunk.toId());
      Sql.setInstant(ps, 4, clock.instant());
      ps.setLong(5, chunk.executionId());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Chunks not yet done (pending, or claimed by someone who is still working on them). */
  public int unfinished(long executionId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM execution_chunks WHERE execution_id = ? AND status IN ('pending', 'claimed')")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Running executions with work this instance could help with. */
  public List<Long> executionsWithWork() {
    List<Long> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT k.execution_id FROM execution_chunks k JOIN cron_job_executions e ON e.id = k.execution_id"
                    + " WHERE e.status = 'running' AND (k.status = 'pending' OR (k.status = 'claimed' AND k.lease_until < ?))")) {
      Sql.setInstant(ps, 1, leaseClock.instant());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public List<Provider> providersOf(long executionId) {
    List<Provider> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT DISTINCT provider FROM execution_chunks WHERE execution_id = ?")) {
      ps.setLong(1, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Provider.fromId(rs.getString(1)).ifPresent(out::add);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
