package io.tributary.platform.database;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * Declares the application's pooled data source, so the WAR deploys on any Jakarta EE server with no
 * server-side JDBC setup. The target database comes from {@code DATABASE_URL} at run time (see
 * {@link TributaryDataSource}); the pool validates connections so a restarted PostgreSQL is
 * reconnected without restarting the service.
 *
 * <p>How long a caller waits for a free connection before it fails comes from configuration, {@code
 * database.pool.max.wait.ms} (default 30000): Payara expands {@code ${MPCONFIG=key:default}} in its
 * {@code fish.payara.*} properties. The pool's size cannot: {@code maxPoolSize} is an int, Payara's
 * deployer reads it from nowhere else, and a placeholder in a {@code web.xml <data-source>} fails
 * Payara's default schema validation of the descriptor (an integer is required). So it stays a
 * constant, sized below PostgreSQL's default 100 connections.
 */
@DataSourceDefinition(
    name = DataSourceConfiguration.JNDI_NAME,
    className = "io.tributary.platform.database.TributaryDataSource",
    minPoolSize = 2,
    maxPoolSize = DataSourceConfiguration.MAX_POOL_SIZE,
    initialPoolSize = 2,
    maxIdleTime = 300,
    loginTimeout = 10,
    properties = {
      "fish.payara.is-connection-validation-required=true",
      "fish.payara.connection-validation-method=custom-validation",
      "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
      "fish.payara.fail-all-connections=true",
      // Validate a pooled connection at most every 30 s, not on every checkout (a round trip each).
      "fish.payara.validate-atmost-once-period-in-seconds=30",
      "fish.payara.max-wait-time-in-millis=${MPCONFIG=database.pool.max.wait.ms:30000}",
      "fish.payara.statement-cache-size=0"
    })
@Singleton
public class DataSourceConfiguration {
  public static final String JNDI_NAME = "java:app/jdbc/tributary";
  public static final int MAX_POOL_SIZE = 64;
  static final long MAX_WAIT_LIMIT_MS = 3_600_000;

  /**
   * Why {@code database.pool.max.wait.ms} is not acceptable, if it is not. The server takes 0 as
   * "wait forever", which would hang a run behind an exhausted pool: stopped at startup instead.
   */
  static java.util.Optional<String> waitProblem(String maxWaitMs) {
    String s = maxWaitMs == null ? "" : maxWaitMs.strip();
    boolean number = !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!number || Long.parseLong(s) < 1 || Long.parseLong(s) > MAX_WAIT_LIMIT_MS) {
      return java.util.Optional.of(
          "DATABASE_POOL_MAX_WAIT_MS must be a whole number of milliseconds from 1 to " + MAX_WAIT_LIMIT_MS
              + " (got '" + maxWaitMs + "').");
    }
    return java.util.Optional.empty();
  }
}
