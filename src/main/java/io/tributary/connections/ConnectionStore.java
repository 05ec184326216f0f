package io.tributary.connections;

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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Users and connections in the database (plain JDBC: these statements run for every sync, and
 * keyset paging and partial updates are clearer in SQL). Tokens go in and out only through the
 * {@link TokenVault}.
 */
@ApplicationScoped
public class ConnectionStore {

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject TokenVault vault;
  @Inject Clock clock;
  /** Leases are compared in the database's time, shared by all instances. */
  @Inject @DatabaseTime Clock leaseClock;
  @Inject io.tributary.platform.database.Dialect dialect;

  /** The columns {@link #readView} reads, in its order ({@code c} = connections, {@code u} = app_users). */
  public static final String VIEW_COLUMNS =
      "c.id, u.external_id, c.provider, c.status, c.status_reason, c.scopes, c.token_expires_at,"
          + " c.created_at, c.last_attempt_at, c.last_success_at, c.last_error, c.consecutive_failures,"
          + " c.records_count, c.last_records_changed, c.next_attempt_at";

  /**
   * Registers a connection, creating the user when new. Registering a provider the user already has
   * replaces its tokens and re-activates it (a reconnect), keeping its records and cursors.
   */
  @Transactional
  public ConnectionView register(
      String userExternalId,
      Provider provider,
      String accessToken,
      String refreshToken,
      Instant expiresAt,
      String scopes) {
    try (Connection c = dataSource.getConnection()) {
      long userId = ensureUser(c, userExternalId);
      long id;
      try (PreparedStatement find =
          c.prepareStatement("SELECT id FROM connections WHERE user_id = ? AND provider = ? FOR UPDATE")) {
        find.setLong(1, userId);
        find.setString(2, provider.id());
        try (ResultSet rs = find.executeQuery()) {
          id = rs.next() ? rs.getLong(1) : -1;
        }
      }
      Instant now = clock.instant();
      if (id < 0) {
        try (PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO connections (user_id, provider, status, created_at, updated_at)"
                    + " VALUES (?, ?, 'active', ?, ?)",
                new String[] {"id"})) {
          ins.setLong(1, userId);
          ins.setString(2, provider.id());
          Sql.setInstant(ins, 3, now);
          Sql.setInstant(ins, 4, now);
          ins.executeUpdate();
          try (ResultSet keys = ins.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
        }
      }
      // Tokens are encrypted with the connection id as associated data, so the row must exist first.
      try (PreparedStatement up =
          c.prepareStatement(
              "UPDATE connections SET access_token_enc = ?, refresh_token_enc = ?, token_expires_at = ?,"
                  + " scopes = ?, status = 'active', status_reason = NULL, consecutive_failures = 0,"
                  + " next_attempt_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?")) {
        up.setString(1, vault.encrypt(accessToken, id));
        up.setString(2, vault.encrypt(refreshToken, id));
        Sql.setInstant(up, 3, expiresAt);
        up.setString(4, scopes);
        Sql.setInstant(up, 5, now);
        up.setLong(6, id);
        up.executeUpdate();
      }
      return view(c, id).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException("Registering the connection failed: " + e.getMessage(), e);
    }
  }

  private long ensureUser(Connection c, String externalId) throws SQLException {
    // Works on both databases and is safe against a concurrent insert of the same user.
    try (PreparedStatement ins =
        c.prepareStatement("INSERT INTO app_users (external_id) VALUES (?) ON CONFLICT DO NOTHING")) {
      ins.setString(1, externalId);
      ins.executeUpdate();
    }
    try (PreparedStatement sel = c.prepareStatement("SELECT id FROM app_users WHERE external_id = ?")) {
      sel.setString(1, externalId);
      try (ResultSet rs = sel.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public Optional<ConnectionView> find(long id) {
    try (Connection c = dataSource.getConnection()) {
      return view(c, id);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private Optional<ConnectionView> view(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + VIEW_COLUMNS + " FROM connections c JOIN app_users u ON u.id = c.user_id WHERE c.id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(readView(rs)) : Optional.empty();
      }
    }
  }

  /** One page of connections in id order after {@code afterId}, filtered. */
  public List<ConnectionView> list(
      String userExternalId, Provider provider, ConnectionStatus status, long afterId, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT " + VIEW_COLUMNS + " FROM connections c JOIN app_users u ON u.id = c.user_id WHERE c.id > ?");
    List<Object> args = new ArrayList<>();
    args.add(afterId);
    if (userExternalId != null) {
      sql.append(" AND u.external_id = ?");
      args.add(userExternalId);
    }
    if (provider != null) {
      sql.append(" AND c.provider = ?");
      args.add(provider.id());
    }
    if (status != null) {
      sql.append(" AND c.status = ?");
      args.add(status.id());
    }
    sql.append(" ORDER BY c.id LIMIT ?");
    args.add(limit);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<ConnectionView> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(readView(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Takes the connection's sync lease if it is active and nobody holds a live lease, and loads it
   * with its cursors: on PostgreSQL one statement ({@code UPDATE … RETURNING}, the cursors as two
   * arrays), which commits on its own; a transaction around it would only add a round of JTA work per
   * sync. Empty when not leased.
   *
   * @param executionId the run syncing it, or null for a "sync now": a connection that run has
   *     synced already is not leased again for it, whatever list of connections the caller holds
   */
  // Outside any JTA transaction: ConnectionSync.sync, the caller, is NOT_SUPPORTED (one interception per sync).
  public Optional<StoredConnection> leaseAndLoad(long id, String owner, Instant until, Long executionId) {
    String update =
        "UPDATE connections SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = 'active'"
            + " AND (lease_until IS NULL OR lease_until < ?)"
            + " AND (CAST(? AS BIGINT) IS NULL OR last_run_execution IS NULL OR last_run_execution <> ?)";
    try (Connection c = dataSource.getConnection()) {
      if (dialect.isPostgres()) {
        try (PreparedStatement ps =
            c.prepareStatement(
                update + LEASED_RETURNING)) {
          bindLease(ps, id, owner, until, executionId);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            return Optional.of(readLeased(rs));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(update)) {
        bindLease(ps, id, owner, until, executionId);
        if (ps.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      Map<String, String> cursors = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT name, cursor_value FROM sync_cursors WHERE connection_id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            cursors.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return load(id).map(s -> s.withCursors(cursors));
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * {@link #leaseAndLoad} for a run's batch of connections: on PostgreSQL one statement for them all
   * instead of one each (a statement and a pool checkout per connection were 10–15% of the sync
   * engine's CPU in its JFR profiles). Rows are locked in the index's order, so two instances leasing overlapping
   * batches wait for each other rather than deadlock. Returns the connections leased, each with its
   * cursors; the others are inactive, leased by someone else, or synced by this run already.
   */
  public List<StoredConnection> leaseAndLoadAll(List<Long> ids, String owner, Instant until, long executionId) {
    if (ids.isEmpty()) {
      return List.of();
    }
    if (!dialect.isPostgres()) {
      List<StoredConnection> out = new ArrayList<>();
      for (long id : ids) {
        leaseAndLoad(id, owner, until, executionId).ifPresent(out::add);
      }
      return out;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE connections SET lease_owner = ?, lease_until = ? WHERE id = ANY(?) AND status = 'active'"
                    + " AND (lease_until IS NULL OR lease_until < ?)"
                    + " AND (last_run_execution IS NULL OR last_run_execution <> ?)"
                    + LEASED_RETURNING)) {
      ps.setString(1, owner);
      Sql.setInstant(ps, 2, until);
      ps.setArray(3, c.createArrayOf("bigint", ids.toArray()));
      Sql.setInstant(ps, 4, leaseClock.instant());
      ps.setLong(5, executionId);
      List<StoredConnection> out = new ArrayList<>(ids.size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(readLeased(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Gives back leases this owner took and will not use (a batch it stopped feeding). A lease that
   * has passed to someone else meanwhile is theirs and stays.
   */
  public void releaseLeases(Collection<Long> ids, String owner) {
    if (ids.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE connections SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
      for (long id : ids) {
        ps.setLong(1, id);
        ps.setString(2, owner);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** What a lease on PostgreSQL returns: the connection ({@link #readStored}) and its cursors as two arrays. */
  private static final String LEASED_RETURNING =
      " RETURNING " + ConnectionStore.LOAD_COLUMNS
          + ", ARRAY(SELECT name FROM sync_cursors s WHERE s.connection_id = connections.id ORDER BY name)"
          + ", ARRAY(SELECT cursor_value FROM sync_cursors s WHERE s.connection_id = connections.id ORDER BY name)";

  private static StoredConnection readLeased(ResultSet rs) throws SQLException {
    String[] names = (String[]) rs.getArray(10).getArray();
    String[] values = (String[]) rs.getArray(11).getArray();
    Map<String, String> cursors = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      cursors.put(names[i], values[i]);
    }
    return readStored(rs).withCursors(cursors);
  }

  private void bindLease(PreparedStatement ps, long id, String owner, Instant until, Long executionId) throws SQLException {
    ps.setString(1, owner);
    Sql.setInstant(ps, 2, until);
    ps.setLong(3, id);
    Sql.setInstant(ps, 4, leaseClock.instant());
    for (int i = 5; i <= 6; i++) {
      if (executionId == null) {
        ps.setNull(i, java.sql.Types.BIGINT);
      } else {
        ps.setLong(i, executionId);
      }
    }
  }

  static final String LOAD_COLUMNS =
      "id, user_id, provider, status, access_token_enc, refresh_token_enc, token_expires_at,"
          + " consecutive_failures, version";

  private static StoredConnection readStored(ResultSet rs) throws SQLException {
    return new StoredConnection(
        rs.getLong(1),
        rs.getLong(2),
        Provider.fromId(rs.getString(3)).orElseThrow(),
        ConnectionStatus.fromId(rs.getString(4)).orElseThrow(),
        rs.getString(5),
        rs.getString(6),
        Sql.instant(rs, 7),
        rs.getInt(8),
        rs.getLong(9),
        Map.of());
  }

  Optional<StoredConnection> load(long id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + LOAD_COLUMNS + " FROM connections WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(readStored(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Disconnects: the row, its tokens, records and cursors are gone (records/cursors by cascade). */
  @Transactional
  public boolean delete(long id) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement recs = c.prepareStatement("DELETE FROM synced_records WHERE connection_id = ?")) {
        recs.setLong(1, id);
        recs.executeUpdate();
      }
      try (PreparedStatement cur = c.prepareStatement("DELETE FROM sync_cursors WHERE connection_id = ?")) {
        cur.setLong(1, id);
        cur.executeUpdate();
      }
      try (PreparedStatement del = c.prepareStatement("DELETE FROM connections WHERE id = ?")) {
        del.setLong(1, id);
        return del.executeUpdate() == 1;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Sets the status by hand (disable, re-enable); re-enabling clears the backoff. */
  @Transactional
  public boolean setStatus(long id, ConnectionStatus status, String reason) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE connections SET status = ?, status_reason = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?")) {
      ps.setString(1, status.id());
      ps.setString(2, reason);
      Sql.setInstant(ps, 3, clock.instant());
      ps.setLong(4, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static ConnectionView readView(ResultSet rs) throws SQLException {
    return new ConnectionView(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        Sql.instant(rs, 7),
        Sql.instant(rs, 8),
        Sql.instant(rs, 9),
        Sql.instant(rs, 10),
        rs.getString(11),
        rs.getInt(12),
        rs.getLong(13),
        rs.getInt(14),
        Sql.instant(rs, 15));
  }
}
