package io.tributary.connections;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Dialect;
import io.tributary.platform.database.Sql;
import io.tributary.platform.time.IsoInstants;
import io.tributary.providers.RecordBatch;
import io.tributary.providers.StoreResult;
import io.tributary.providers.SyncedRecord;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stores synced records and cursors. One {@link RecordBatch} is one transaction: the records of a
 * page and the cursor that covers them commit together or not at all.
 *
 * <p>On PostgreSQL a page's records are one statement ({@code INSERT … SELECT FROM unnest(arrays) ON
 * CONFLICT DO UPDATE … WHERE changed RETURNING}): safe against concurrent writers, and it tells
 * inserted from changed from unchanged. The usual page (records and its cursor) is that statement
 * and the cursor's in one, with no transaction around it (see {@link #PG_PAGE}). The embedded H2 has no conflict-target upsert
 * (STACK.md), so it goes row by row; it only serves demos.
 */
@ApplicationScoped
public class RecordStore {

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject Dialect dialect;
  @Inject Clock clock;

  private static final String PG_UPSERT =
      "INSERT INTO synced_records (connection_id, kind, external_id, title, url, updated_at, raw, synced_at)"
          + " SELECT ?, x.k, x.e, x.t, x.u, CAST(x.up AS TIMESTAMPTZ), x.r, ?"
          + " FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]),"
          + " CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS TEXT[])) AS x(k, e, t, u, up, r)"
          + " ON CONFLICT (connection_id, kind, external_id) DO UPDATE SET title = EXCLUDED.title,"
          + " url = EXCLUDED.url, updated_at = EXCLUDED.updated_at, raw = EXCLUDED.raw,"
          + " synced_at = EXCLUDED.synced_at"
          + " WHERE synced_records.title IS DISTINCT FROM EXCLUDED.title"
          + " OR synced_records.url IS DISTINCT FROM EXCLUDED.url"
          + " OR synced_records.updated_at IS DISTINCT FROM EXCLUDED.updated_at"
          + " OR synced_records.raw IS DISTINCT FROM EXCLUDED.raw"
          + " RETURNING (xmax = 0) AS inserted";

  /**
   * The usual page on PostgreSQL (records and cursors, nothing removed) as {@code WITH} parts: the
   * records' upsert ({@code up}, one row per inserted or changed record, {@code inserted} telling
   * which) and the changed cursors ({@code cur}; unchanged cursors are not rewritten). PostgreSQL runs
   * every data-modifying {@code WITH} part exactly once and the whole statement atomically, so a page
   * needs no transaction of its own. {@link ConnectionHealth} puts them in front of a sync's outcome.
   */
  static final String PG_PAGE_PARTS =
      "up AS (" + PG_UPSERT + "),"
          + " cur AS (INSERT INTO sync_cursors (connection_id, name, cursor_value, updated_at)"
          + " SELECT ?, y.n, y.v, ? FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[])) AS y(n, v)"
          + " ON CONFLICT (connection_id, name) DO UPDATE SET cursor_value = EXCLUDED.cursor_value,"
          + " updated_at = EXCLUDED.updated_at WHERE sync_cursors.cursor_value IS DISTINCT FROM EXCLUDED.cursor_value)";

  /** A page on its own: its parts and the connection's record count, one round trip. */
  private static final String PG_PAGE =
      "WITH " + PG_PAGE_PARTS + ","
          + " counted AS (UPDATE connections SET records_count = records_count + (SELECT COUNT(*) FROM up WHERE inserted)"
          + " WHERE id = ? AND EXISTS (SELECT 1 FROM up WHERE inserted))"
          + " SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM up";

  /**
   * Whether a page is the usual kind that {@link #PG_PAGE_PARTS} writes: PostgreSQL, records and
   * cursors only. A sync keeps such pages back and writes them with the next page or its outcome.
   */
  public boolean isPlainPage(RecordBatch batch) {
    return dialect.isPostgres() && batch.removals().isEmpty() && batch.sweep() == null && batch.clearedCursors().isEmpty();
  }

  // Outside any JTA transaction: ConnectionSync.sync, the caller, is NOT_SUPPORTED (one interception per sync).
  public StoreResult store(long connectionId, RecordBatch batch) {
    if (batch.isEmpty()) {
      return StoreResult.NONE;
    }
    if (isPlainPage(batch)) {
      return storePage(connectionId, batch);
    }
    // A local JDBC transaction: one resource, so JTA's two-phase bookkeeping buys nothing here and
    // cost a measurable share of the engine's CPU per page.
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        StoreResult r = store(c, connectionId, batch, clock.instant());
        c.commit();
        return r;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Storing records failed: " + e.getMessage(), e);
    }
  }

  private StoreResult storePage(long connectionId, RecordBatch batch) {
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(PG_PAGE)) {
      int i = bindPageParts(c, ps, connectionId, batch, now);
      ps.setLong(i, connectionId);
      try (ResultSet result = ps.executeQuery()) {
        result.next();
        return new StoreResult(result.getInt(1), result.getInt(2), 0);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Storing records failed: " + e.getMessage(), e);
    }
  }

  /** Binds {@link #PG_PAGE_PARTS}, which start a statement; returns the next parameter index. */
  static int bindPageParts(Connection c, PreparedStatement ps, long connectionId, RecordBatch batch, Instant now)
      throws SQLException {
    int i = bindUpsert(c, ps, connectionId, dedupe(batch.upserts()), now);
    ps.setLong(i++, connectionId);
    Sql.setInstant(ps, i++, now);
    ps.setArray(i++, c.createArrayOf("varchar", batch.cursors().keySet().toArray(String[]::new)));
    ps.setArray(i++, c.createArrayOf("varchar", batch.cursors().values().toArray(String[]::new)));
    return i;
  }

  private StoreResult store(Connection c, long connectionId, RecordBatch batch, Instant now) throws SQLException {
    StoreResult result = StoreResult.NONE;
    List<SyncedRecord> upserts = dedupe(batch.upserts());
    if (!upserts.isEmpty()) {
      result = result.plus(dialect.isPostgres() ? upsertPostgres(c, connectionId, upserts, now) : upsertPortable(c, connectionId, upserts, now));
    }
    int removed = 0;
    if (!batch.removals().isEmpty()) {
      removed += remove(c, connectionId, batch.removals());
    }
    if (batch.sweep() != null) {
      removed += sweep(c, connectionId, batch.sweep());
    }
    result = result.plus(new StoreResult(0, 0, removed));
    for (Map.Entry<String, String> e : batch.cursors().entrySet()) {
      saveCursor(c, connectionId, e.getKey(), e.getValue(), now);
    }
    for (String name : batch.clearedCursors()) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_cursors WHERE connection_id = ? AND name = ?")) {
        ps.setLong(1, connectionId);
        ps.setString(2, name);
        ps.executeUpdate();
      }
    }
    int delta = result.added() - result.removed();
    if (delta != 0) {
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE connections SET records_count = records_count + ? WHERE id = ?")) {
        ps.setInt(1, delta);
        ps.setLong(2, connectionId);
        ps.executeUpdate();
      }
    }
    return result;
  }

  /** A provider may list one object twice in a page; the last copy wins (one row per object). */
  private static List<SyncedRecord> dedupe(List<SyncedRecord> records) {
    Map<String, SyncedRecord> byKey = new LinkedHashMap<>();
    for (SyncedRecord r : records) {
      byKey.put(r.kind() + "\u0000" + r.externalId(), r);
    }
    return byKey.size() == records.size() ? records : new ArrayList<>(byKey.values());
  }

  private StoreResult upsertPostgres(Connection c, long connectionId, List<SyncedRecord> rs, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PG_UPSERT)) {
      bindUpsert(c, ps, connectionId, rs, now);
      int added = 0, updated = 0;
      try (ResultSet result = ps.executeQuery()) {
        while (result.next()) {
          if (result.getBoolean(1)) {
            added++;
          } else {
            updated++;
          }
        }
      }
      return new StoreResult(added, updated, 0);
    }
  }

  /** Binds {@link #PG_UPSERT}'s parameters (the records as one array per column); returns the next index. */
  private static int bindUpsert(Connection c, PreparedStatement ps, long connectionId, List<SyncedRecord> rs, Instant now)
      throws SQLException {
    int n = rs.size();
    String[] k = new String[n], e = new String[n], t = new String[n], u = new String[n], up = new String[n], raw = new String[n];
    for (int i = 0; i < n; i++) {
      SyncedRecord r = rs.get(i);
      k[i] = r.kind();
      e[i] = r.externalId();
      t[i] = r.title();
      u[i] = r.url();
      up[i] = r.updatedAt() == null ? null : IsoInstants.format(r.updatedAt());
      raw[i] = r.raw();
    }
    ps.setLong(1, connectionId);
    Sql.setInstant(ps, 2, now);
    Array[] arrays = {
      c.createArrayOf("varchar", k), c.createArrayOf("varchar", e), c.createArrayOf("varchar", t),
      c.createArrayOf("varchar", u), c.createArrayOf("varchar", up), c.createArrayOf("text", raw)
    };
    for (int i = 0; i < arrays.length; i++) {
      ps.setArray(3 + i, arrays[i]);
    }
    return 3 + arrays.length;
  }

  private StoreResult upsertPortable(Connection c, long connectionId, List<SyncedRecord> rs, Instant now)
      throws SQLException {
    int added = 0, updated = 0;
    try (PreparedStatement upd =
            c.prepareStatement(
                "UPDATE synced_records SET title = ?, url = ?, updated_at = ?, raw = ?, synced_at = ?"
                    + " WHERE connection_id = ? AND kind = ? AND external_id = ? AND (title IS DISTINCT FROM ?"
                    + " OR url IS DISTINCT FROM ? OR updated_at IS DISTINCT FROM ? OR raw IS DISTINCT FROM ?)");
        PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO synced_records (connection_id, kind, external_id, title, url, updated_at, raw, synced_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (SyncedRecord r : rs) {
        upd.setString(1, r.title());
        upd.setString(2, r.url());
        Sql.setInstant(upd, 3, r.updatedAt());
        upd.setString(4, r.raw());
        Sql.setInstant(upd, 5, now);
        upd.setLong(6, connectionId);
        upd.setString(7, r.kind());
        upd.setString(8, r.externalId());
        upd.setString(9, r.title());
        upd.setString(10, r.url());
        Sql.setInstant(upd, 11, r.updatedAt());
        upd.setString(12, r.raw());
        if (upd.executeUpdate() == 1) {
          updated++;
          continue;
        }
        ins.setLong(1, connectionId);
        ins.setString(2, r.kind());
        ins.setString(3, r.externalId());
        ins.setString(4, r.title());
        ins.setString(5, r.url());
        Sql.setInstant(ins, 6, r.updatedAt());
        ins.setString(7, r.raw());
        Sql.setInstant(ins, 8, now);
        added += ins.executeUpdate();
      }
    }
    return new StoreResult(added, updated, 0);
  }

  private int remove(Connection c, long connectionId, List<RecordBatch.RecordKey> keys) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM synced_records WHERE connection_id = ? AND kind = ? AND external_id = ?")) {
      for (RecordBatch.RecordKey key : keys) {
        ps.setLong(1, connectionId);
        ps.setString(2, key.kind());
        ps.setString(3, key.externalId());
        ps.addBatch();
      }
      int removed = 0;
      for (int n : ps.executeBatch()) {
        removed += Math.max(0, n);
      }
      return removed;
    }
  }

  private int sweep(Connection c, long connectionId, RecordBatch.Sweep sweep) throws SQLException {
    List<RecordBatch.RecordKey> gone = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT external_id FROM synced_records WHERE connection_id = ? AND kind = ?")) {
      ps.setLong(1, connectionId);
      ps.setString(2, sweep.kind());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          if (!sweep.seenExternalIds().contains(id)) {
            gone.add(new RecordBatch.RecordKey(sweep.kind(), id));
          }
        }
      }
    }
    return gone.isEmpty() ? 0 : remove(c, connectionId, gone);
  }

  private void saveCursor(Connection c, long connectionId, String name, String value, Instant now)
      throws SQLException {
    String sql =
        dialect.isPostgres()
            ? "INSERT INTO sync_cursors (connection_id, name, cursor_value, updated_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (connection_id, name) DO UPDATE SET cursor_value = EXCLUDED.cursor_value,"
                + " updated_at = EXCLUDED.updated_at"
            : "MERGE INTO sync_cursors (connection_id, name, cursor_value, updated_at) KEY (connection_id, name)"
                + " VALUES (?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, connectionId);
      ps.setString(2, name);
      ps.setString(3, value);
      Sql.setInstant(ps, 4, now);
      ps.executeUpdate();
    }
  }

  /** One page of a connection's records in id order after {@code afterId}. */
  public List<Map.Entry<Long, RecordView>> page(long connectionId, Optional<String> kind, long afterId, int limit) {
    String sql =
        "SELECT id, kind, external_id, title, url, updated_at FROM synced_records WHERE connection_id = ?"
            + (kind.isPresent() ? " AND kind = ?" : "")
            + " AND id > ? ORDER BY id LIMIT ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setLong(i++, connectionId);
      if (kind.isPresent()) {
        ps.setString(i++, kind.get());
      }
      ps.setLong(i++, afterId);
      ps.setInt(i, limit);
      List<Map.Entry<Long, RecordView>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              Map.entry(
                  rs.getLong(1),
                  new RecordView(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), Sql.instant(rs, 6))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
