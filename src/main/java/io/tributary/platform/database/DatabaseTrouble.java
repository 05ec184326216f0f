package io.tributary.platform.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells the database being unavailable (the pool could not hand out a connection in time, PostgreSQL
 * refused or dropped one, is starting up or shutting down) from a bug. The first is an answer of its
 * own: 503 for an API call, "database unavailable" for a sync, never blamed on a provider.
 */
public final class DatabaseTrouble {
  private DatabaseTrouble() {}

  /** The error a connection's sync records when the database, not the provider, failed it. */
  public static final String SYNC_ERROR = "database unavailable";

  public static boolean is(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
      // The container's pool: "In-use connections equal max-pool-size and expired max-wait-time".
      if (c instanceof jakarta.resource.ResourceException) {
        return true;
      }
      // A commit the database could not take (its connection was cut): the database is this
      // application's only transactional resource.
      if (c instanceof jakarta.transaction.SystemException || c instanceof javax.transaction.xa.XAException) {
        return true;
      }
      if (c instanceof SQLTransientConnectionException
          || c instanceof SQLNonTransientConnectionException
          || c instanceof SQLRecoverableException) {
        return true;
      }
      // 08 connection exception, 53 insufficient resources (53300: too many connections),
      // 57P operator intervention (terminated, shutting down, starting up).
      if (c instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }
}
