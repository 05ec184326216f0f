package io.tributary.platform.database;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * Declares the application's pooled data source, so the WAR deploys on any Jakarta EE server with no
 * server-side JDBC setup. The target database comes from {@code DATABASE_URL} at run time (see
 * {@link TributaryDataSource}); the pool validates connections so a restarted PostgreSQL is
 * reconnected without restarting the service.
 *
 * <p>Sized from configuration: {@code database.pool.max.size} (default {@value #DEFAULT_MAX_POOL_SIZE},
 * set in {@code WEB-INF/web.xml}'s {@code <data-source>}, which the server merges with this
 * annotation) and {@code database.pool.max.wait.ms}, how long a caller waits for a free connection
 * before it fails (default 30000).
 */
@DataSourceDefinition(
    name = DataSourceConfiguration.JNDI_NAME,
    className = "io.tributary.platform.database.TributaryDataSource",
    minPoolSize = 2,
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
  public static final int DEFAULT_MAX_POOL_SIZE = 64;
  static final int MAX_POOL_SIZE_LIMIT = 10_000;
  static final int MAX_WAIT_LIMIT_MS = 3_600_000;

  /**
   * Why the pool settings are not acceptable, if they are not. The server takes a size of 0 or less
   * as "use 32" and a wait of 0 as "wait forever": both are mistakes, stopped at startup instead.
   */
  static java.util.Optional<String> poolProblem(String maxSize, String maxWaitMs) {
    if (!wholeNumberWithin(maxSize, 1, MAX_POOL_SIZE_LIMIT)) {
      return java.util.Optional.of(
          "DATABASE_POOL_MAX_SIZE must be a whole number from 1 to " + MAX_POOL_SIZE_LIMIT + " (got '" + maxSize + "').");
    }
    if (!wholeNumberWithin(maxWaitMs, 1, MAX_WAIT_LIMIT_MS)) {
      return java.util.Optional.of(
          "DATABASE_POOL_MAX_WAIT_MS must be a whole number of milliseconds from 1 to " + MAX_WAIT_LIMIT_MS
              + " (got '" + maxWaitMs + "').");
    }
    return java.util.Optional.empty();
  }

  private static boolean wholeNumberWithin(String raw, long min, long max) {
    String s = raw == null ? "" : raw.strip();
    if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    long v = Long.parseLong(s);
    return v >= min && v <= max;
  }
}
