package io.tributary.monitoring;

import io.tributary.testing.MigratedPostgresql;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MonitoringReportBehaviour} on PostgreSQL (the test run's, never skipped). */
class MonitoringReportPostgresqlTest extends MonitoringReportBehaviour {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  @Override
  DataSource database() {
    return POSTGRES.dataSource();
  }
}
