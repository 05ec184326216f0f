package io.tributary.platform.database;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import io.tributary.platform.ConfigurationError;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date at startup, before any other startup bean touches the database.
 *
 * <p>The SQL lives in the top-level {@code db-migrations/} folder (packed into the WAR as {@code
 * db/migration/common}); vendor-specific variants sit in {@code db-migrations/postgresql} and {@code
 * db-migrations/h2}, with version numbers of their own. Bean-managed transactions
 * because Flyway commits each migration itself. Several instances starting at once are safe: Flyway
 * takes a database lock while it migrates.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class DatabaseMigrations {

  private static final Logger LOG = Logger.getLogger(DatabaseMigrations.class.getName());

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  private DatabaseSettings.Vendor vendor;

  @PostConstruct
  void migrate() {
    try {
      TributaryDataSource.currentSettings(); // a malformed DATABASE_URL stops here, in one clear line
    } catch (DatabaseSettings.InvalidDatabaseUrlException e) {
      throw ConfigurationError.stop(e.getMessage());
    }
    Config config = ConfigProvider.getConfig(DatabaseMigrations.class.getClassLoader());
    DataSourceConfiguration.waitProblem(config.getOptionalValue("database.pool.max.wait.ms", String.class).orElse("30000"))
        .ifPresent(problem -> {
          throw ConfigurationError.stop(problem);
        });
    vendor = detectVendor();
    MigrateResult result =
        Flyway.configure(DatabaseMigrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations(
                "classpath:db/migration/common", "classpath:db/migration/" + vendor.migrationFolder())
            .baselineOnMigrate(false)
            .load()
            .migrate();
    LOG.info(
        () ->
            "Database schema at version "
                + result.targetSchemaVersion
                + " ("
                + result.migrationsExecuted
                + " migration(s) applied now, "
                + vendor
                + ")");
  }

  /** Which database the service runs on, for the few statements that differ between the two. */
  public DatabaseSettings.Vendor vendor() {
    return vendor;
  }

  private DatabaseSettings.Vendor detectVendor() {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase();
      return product.contains("h2") ? DatabaseSettings.Vendor.H2 : DatabaseSettings.Vendor.POSTGRESQL;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot reach the database (" + e.getMessage() + "). Check DATABASE_URL.", e);
    }
  }
}
