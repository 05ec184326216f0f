package io.tributary.connections;

import io.tributary.testing.Databases;
import javax.sql.DataSource;

/** {@link RecordStoreBehaviour} on the embedded H2 of demo mode (row by row, in a transaction). */
class RecordStoreH2Test extends RecordStoreBehaviour {
  @Override
  DataSource emptyDatabase() {
    return Databases.migratedH2();
  }
}
