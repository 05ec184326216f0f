package io.tributary.testing;

import io.tributary.testing.TestDatabase;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Migrated databases for component tests outside the container: H2 as in demo mode, and PostgreSQL.
 */
public final class Databases {
  private Databases() {}

  /** A fresh in-memory H2 in the same mode as the embedded default, with the real migrations. */
  public static DataSource migratedH2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(
        "jdbc:h2:mem:admins_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_DELAY=-1");
    h2.setUser("tributary");
    h2.setPassword("");
    return migrate(h2);
  }

  /**
   * A fresh PostgreSQL database, found or started the way the test command promises (see {@link
   * TestDatabase#create()}): never skipped.
   */
  public static TestDatabase postgresql() {
    return TestDatabase.create();
  }

  public static DataSource migratedPostgresql(TestDatabase db) {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(db.jdbcUrl());
    pg.setUser(db.user());
    return migrate(pg);
  }

  /** The application's dialect probe on {@code ds}, as the container would inject it. */
  public static io.tributary.platform.database.Dialect dialect(DataSource ds) {
    io.tributary.platform.database.Dialect dialect = new io.tributary.platform.database.Dialect();
    try {
      var field = io.tributary.platform.database.Dialect.class.getDeclaredField("dataSource");
      field.setAccessible(true);
      field.set(dialect, ds);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return dialect;
  }

  private static DataSource migrate(DataSource ds) {
    Flyway.configure(Databases.class.getClassLoader())
        .dataSource(ds)
        .locations("classpath:db/migration/common", "classpath:db/migration/" + (ds instanceof JdbcDataSource ? "h2" : "postgresql"))
        .load()
        .migrate();
    return ds;
  }
}
