package io.tributary.platform.database;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The small seam for the few statements PostgreSQL and the embedded H2 do not share (upserts with a
 * conflict target, see STACK.md). Everything else is one SQL for both.
 */
@ApplicationScoped
public class Dialect {

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  private volatile Boolean postgres;

  public boolean isPostgres() {
    Boolean p = postgres;
    if (p == null) {
      try (Connection c = dataSource.getConnection()) {
        p = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
      }
      postgres = p;
    }
    return p;
  }
}
