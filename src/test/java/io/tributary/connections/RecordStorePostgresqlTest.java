package io.tributary.connections;

import io.tributary.testing.Databases;
import io.tributary.testing.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link RecordStoreBehaviour} on PostgreSQL, where the usual page is one statement. */
class RecordStorePostgresqlTest extends RecordStoreBehaviour {

  private static TestDatabase database;
  private static DataSource dataSource;

  @BeforeAll
  static void createDatabase() {
    database = Databases.postgresql();
    dataSource = Databases.migratedPostgresql(database);
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  DataSource emptyDatabase() {
    return dataSource;
  }
}
