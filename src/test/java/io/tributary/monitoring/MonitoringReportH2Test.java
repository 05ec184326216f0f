package io.tributary.monitoring;

import io.tributary.testing.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** {@link MonitoringReportBehaviour} on the embedded H2 of demo mode: the same SQL, the same figures. */
class MonitoringReportH2Test extends MonitoringReportBehaviour {

  private static DataSource dataSource;

  @BeforeAll
  static void createDatabase() {
    dataSource = Databases.migratedH2();
  }

  @Override
  DataSource database() {
    return dataSource;
  }
}
