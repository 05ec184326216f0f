package io.tributary.platform.database;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * Declares the application's pooled data source, so the WAR deploys on any Jakarta EE server with no
 * server-side JDBC setup. The target database comes from {@code DATABASE_URL} at run time (see
 * {@link TributaryDataSource}); the pool validates connections so a restarted PostgreSQL is
 * reconnected without restarting the service.
 */
@DataSourceDefinition(
    name = DataSourceConfiguration.JNDI_NAME,
    className = "io.tributary.platform.database.TributaryDataSource",
    minPoolSize = 2,
    maxPoolSize = 64,
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
      "fish.payara.max-wait-time-in-millis=30000",
      "fish.payara.statement-cache-size=0"
    })
@Singleton
public class DataSourceConfiguration {
  public static final String JNDI_NAME = "java:app/jdbc/tributary";
}
