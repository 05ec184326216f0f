package io.tributary.dashboard;

import io.tributary.testing.Databases;
import javax.sql.DataSource;

/** {@link ConnectionQueriesBehaviour} on the embedded H2 of demo mode. */
class ConnectionQueriesH2Test extends ConnectionQueriesBehaviour {
  @Override
  DataSource emptyDatabase() {
    return Databases.migratedH2();
  }
}
