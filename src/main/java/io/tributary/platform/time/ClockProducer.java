package io.tributary.platform.time;

import io.tributary.platform.database.DataSourceConfiguration;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The sources of "now": inject {@link Clock} wherever time matters so tests can move it, and the
 * {@link DatabaseTime} clock for leases and heartbeats, which every instance must agree on.
 */
@ApplicationScoped
public class ClockProducer {

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  private DatabaseClock databaseClock;

  @PostConstruct
  void init() {
    databaseClock = new DatabaseClock(dataSource); // reads nothing until first used
  }

  // Dependent scope: java.time.Clock cannot be proxied; the instances themselves are shared.
  @Produces
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @DatabaseTime
  Clock databaseClock() {
    return databaseClock;
  }
}
