package io.tributary.monitoring;

import io.tributary.platform.SingleFlightCache;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The monitoring JSON, made at most once per {@code monitoring.cache.millis} (default 1000) for each
 * window and shared by every request in that time: a wall of dashboards or a poller at hundreds of
 * requests a second costs one set of queries a second, and during a run those requests do not take
 * the CPU from the sync engine. 0 turns the cache off.
 */
@ApplicationScoped
public class MonitoringSnapshots {

  @Inject MonitoringReport report;
  @Inject Clock clock;

  @Inject
  @ConfigProperty(name = "monitoring.cache.millis", defaultValue = "1000")
  long cacheMillis;

  private SingleFlightCache<Integer, String> byHours;

  @PostConstruct
  void init() {
    byHours = new SingleFlightCache<>(clock, Duration.ofMillis(Math.max(0, cacheMillis)));
  }

  /** The report for a window of {@code hours}, at most {@code monitoring.cache.millis} old. */
  public String json(int hours) {
    return byHours.get(hours, h -> report.report(h).toString());
  }
}
