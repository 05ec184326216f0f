package io.tributary.security;

import io.tributary.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Migrated databases for the admin-account tests: H2 as in demo mode, PostgreSQL when one answers.
 */
final class Databases {
  private Databases() {}

  /** A fresh in-memory H2 in the same mode as the embedded default, with the real migrations. */
  static DataSource migratedH2() {
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

  /** A fresh PostgreSQL database on 127.0.0.1:5432, if a server answers there. */
  static Optional<TestDatabase> postgresqlIfReachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
    return Optional.of(TestDatabase.create());
  }

  static DataSource migratedPostgresql(TestDatabase db) {
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(db.jdbcUrl());
    pg.setUser(db.user());
    return migrate(pg);
  }

  private static DataSource migrate(DataSource ds) {
    Flyway.configure(Databases.class.getClassLoader())
        .dataSource(ds)
        .locations("classpath:db/migration/common")
        .load()
        .migrate();
    return ds;
  }
}
