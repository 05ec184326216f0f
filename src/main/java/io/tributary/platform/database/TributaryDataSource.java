package io.tributary.platform.database;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The physical data source behind the container's connection pool ({@link DataSourceConfiguration}).
 *
 * <p>It exists because the database is chosen at run time, not build time: {@code DATABASE_URL}
 * (libpq form) means PostgreSQL, no {@code DATABASE_URL} means the embedded H2 file under the data
 * directory. The container pools, enlists and validates the connections; this class only decides
 * where they go. Settings are read through MicroProfile Config, so environment variables apply.
 */
public class TributaryDataSource implements DataSource {

  private static final Logger LOG = Logger.getLogger(TributaryDataSource.class.getName());

  private volatile DataSource delegate;
  private volatile DatabaseSettings settings;
  private PrintWriter logWriter;
  private int loginTimeoutSeconds = 10;

  /** The settings this data source connects with, resolved once from configuration. */
  public static DatabaseSettings currentSettings() {
    Config config = ConfigProvider.getConfig(TributaryDataSource.class.getClassLoader());
    Path dataDir =
        config
            .getOptionalValue("tributary.data.dir", String.class)
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), ".tributary"));
    return DatabaseSettings.resolve(config.getOptionalValue("database.url", String.class), dataDir);
  }

  private DataSource delegate() throws SQLException {
    DataSource d = delegate;
    if (d != null) {
      return d;
    }
    synchronized (this) {
      if (delegate == null) {
        try {
          settings = currentSettings();
        } catch (DatabaseSettings.InvalidDatabaseUrlException e) {
          // One clear line for the operator before the container prints its own stack trace.
          LOG.severe("Configuration error: " + e.getMessage());
          throw new SQLException(e.getMessage(), "08001");
        }
        delegate = create(settings);
      }
      return delegate;
    }
  }

  private DataSource create(DatabaseSettings s) throws SQLException {
    switch (s.vendor()) {
      case POSTGRESQL -> {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(s.jdbcUrl());
        if (s.user() != null) {
          pg.setUser(s.user());
        }
        if (s.password() != null) {
          pg.setPassword(s.password());
        }
        pg.setApplicationName("tributary");
        pg.setConnectTimeout(loginTimeoutSeconds);
        // Server-side prepared statements from the first use: the hot statements run millions of times.
        pg.setPrepareThreshold(1);
        pg.setReWriteBatchedInserts(true);
        LOG.info("Database: PostgreSQL at " + s.describe());
        return pg;
      }
      case H2 -> {
        try {
          String url = s.jdbcUrl();
          if (url.startsWith("jdbc:h2:file:")) {
            Path file = Path.of(url.substring("jdbc:h2:file:".length()).split(";", 2)[0]);
            if (file.getParent() != null) {
              Files.createDirectories(file.getParent());
            }
          }
        } catch (java.io.IOException e) {
          throw new SQLException("Cannot create the data directory: " + e.getMessage(), e);
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(s.jdbcUrl());
        h2.setUser(s.user() == null ? "tributary" : s.user());
        h2.setPassword(s.password() == null ? "" : s.password());
        LOG.warning(
            "DATABASE_URL is not set: using the EMBEDDED H2 database at "
                + s.describe()
                + ". Fine for a demo; set DATABASE_URL to a PostgreSQL database for production.");
        return h2;
      }
      default -> throw new SQLException("Unsupported database vendor " + s.vendor());
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return delegate().getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    // The pool may pass the (empty) user of the annotation; credentials come from DATABASE_URL.
    return delegate().getConnection();
  }

  // Bean properties the container may set from the @DataSourceDefinition; the URL comes from config.
  public void setUrl(String ignored) {}

  public void setURL(String ignored) {}

  public void setUser(String ignored) {}

  public void setPassword(String ignored) {}

  public void setServerName(String ignored) {}

  public void setPortNumber(int ignored) {}

  public void setDatabaseName(String ignored) {}

  public void setDescription(String ignored) {}

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    if (seconds > 0) {
      this.loginTimeoutSeconds = seconds;
    }
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate().isWrapperFor(iface);
  }

  static {
    // Quieter H2: it otherwise logs to a trace file in the data directory.
    Logger.getLogger("h2database").setLevel(Level.WARNING);
  }
}
