package io.tributary.dashboard;

import io.tributary.connections.ConnectionStore;

import io.tributary.providers.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one page of the integrations table, built so that every filter is an index range read
 * in id order, whatever the number of connections (keyset paging: never OFFSET, never a scan of the
 * table, never more than a page of rows read):
 *
 * <ul>
 *   <li>no filter: the primary key;
 *   <li>a user: {@code app_users.external_id} (unique), then {@code (user_id, provider)} (unique):
 *       at most one row per provider;
 *   <li>a provider and/or a health state: one branch per (provider, state) pair, each reading
 *       {@code (provider, status, id)} or a partial index {@code (provider, id)} for healthy and
 *       failing connections (schema 9.1), at most a page of ids each, merged by id. A provider alone
 *       is three branches (its three stored statuses), a state alone four (one per provider).
 * </ul>
 */
final class ConnectionPageSql {
  private ConnectionPageSql() {}

  /** A statement and its parameters, in order. */
  record Statement(String sql, List<Object> params) {}

  static final String COLUMNS = ConnectionStore.VIEW_COLUMNS;

  /** The stored statuses, for a provider filter without a state (each is an index prefix). */
  private static final List<String> EVERY_STATUS =
      List.of("status = 'active'", "status = 'needs_reauth'", "status = 'disabled'");

  /**
   * Up to {@code limit} connections matching {@code f}, after {@code key} in id order, or before it
   * in reverse id order when {@code backwards}.
   */
  static Statement page(ConnectionFilter f, boolean backwards, long key, int limit) {
    String cmp = backwards ? "id < ?" : "id > ?";
    String order = backwards ? "DESC" : "ASC";
    List<Object> params = new ArrayList<>();
    String ids;
    if (f.userId() != null) {
      StringBuilder where =
          new StringBuilder("user_id = (SELECT id FROM app_users WHERE external_id = ?)");
      params.add(f.userId());
      if (f.provider() != null) {
        where.append(" AND provider = ?");
        params.add(f.provider().id());
      }
      if (f.state() != null) {
        where.append(" AND ").append(f.state().condition());
      }
      ids = branch(where.toString(), cmp, order, key, limit, params);
    } else if (f.provider() == null && f.state() == null) {
      ids = branch(null, cmp, order, key, limit, params);
    } else {
      List<Provider> providers = f.provider() == null ? List.of(Provider.values()) : List.of(f.provider());
      List<String> conditions =
          f.state() == null ? EVERY_STATUS : List.of(f.state().condition());
      List<String> branches = new ArrayList<>();
      for (Provider p : providers) {
        for (String condition : conditions) {
          params.add(p.id());
          branches.add("(" + branch("provider = ? AND " + condition, cmp, order, key, limit, params) + ")");
        }
      }
      ids = String.join(" UNION ALL ", branches);
    }
    params.add(limit);
    return new Statement(
        "SELECT " + COLUMNS + " FROM (" + ids + ") k JOIN connections c ON c.id = k.id"
            + " JOIN app_users u ON u.id = c.user_id ORDER BY c.id " + order + " LIMIT ?",
        params);
  }

  private static String branch(
      String condition, String cmp, String order, long key, int limit, List<Object> params) {
    params.add(key);
    params.add(limit);
    return "SELECT id FROM connections WHERE "
        + (condition == null ? "" : condition + " AND ")
        + cmp
        + " ORDER BY id "
        + order
        + " LIMIT ?";
  }
}
