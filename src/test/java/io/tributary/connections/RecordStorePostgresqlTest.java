package io.tributary.connections;

import io.tributary.testing.MigratedPostgresql;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RecordStoreBehaviour} on PostgreSQL, where the usual page is one statement. */
class RecordStorePostgresqlTest extends RecordStoreBehaviour {

  @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();

  @Override
  DataSource emptyDatabase() {
    return POSTGRES.dataSource();
  }
}
