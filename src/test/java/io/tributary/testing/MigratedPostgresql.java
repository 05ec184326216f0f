package io.tributary.testing;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database with the real migrations for one test class, created before its
 * first test and dropped after its last (found or started as {@link TestDatabase#create()} says:
 * never skipped):
 *
 * <pre>{@code @RegisterExtension static final MigratedPostgresql POSTGRES = new MigratedPostgresql();}</pre>
 */
public final class MigratedPostgresql implements BeforeAllCallback, AfterAllCallback {

  private TestDatabase database;
  private DataSource dataSource;

  @Override
  public void beforeAll(ExtensionContext context) {
    database = Databases.postgresql();
    dataSource = Databases.migratedPostgresql(database);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (database != null) {
      database.close();
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public TestDatabase database() {
    return database;
  }
}
