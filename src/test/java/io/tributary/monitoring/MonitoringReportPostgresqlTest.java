package io.tributary.monitoring;

import io.tributary.testing.Databases;
import io.tributary.testing.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link MonitoringReportBehaviour} on PostgreSQL (the test run's, never skipped). */
class MonitoringReportPostgresqlTest extends MonitoringReportBehaviour {

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
  DataSource database() {
    return dataSource;
  }
}
