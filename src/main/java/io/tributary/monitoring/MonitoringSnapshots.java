package io.tributary.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The monitoring JSON, made at most once per {@code monitoring.cache.millis} (default 1000) for each
 * window and shared by every request in that time: a wall of dashboards or a poller at hundreds of
 * requests a second costs one set of queries a second, and during a run those requests do not take
 * the CPU from the sync engine. Concurrent requests for an expired window wait for one computation
 * (single flight) instead of each running the queries. 0 turns the cache off.
 */
@ApplicationScoped
public class MonitoringSnapshots {

  @Inject MonitoringReport report;
  @Inject Clock clock;

  @Inject
  @ConfigProperty(name = "monitoring.cache.millis", defaultValue = "1000")
  long cacheMillis;

  private final ConcurrentHashMap<Integer, Snapshot> byHours = new ConcurrentHashMap<>();

  private record Snapshot(Instant madeAt, CompletableFuture<String> json) {}

  /** The report for a window of {@code hours}, at most {@code monitoring.cache.millis} old. */
  public String json(int hours) {
    if (cacheMillis <= 0) {
      return report.report(hours).toString();
    }
    Instant now = clock.instant();
    Duration ttl = Duration.ofMillis(cacheMillis);
    Snapshot mine = new Snapshot(now, new CompletableFuture<>());
    Snapshot current =
        byHours.compute(hours, (h, old) -> old != null && now.isBefore(old.madeAt().plus(ttl)) && !old.madeAt().isAfter(now) ? old : mine);
    if (current == mine) {
      try {
        mine.json().complete(report.report(hours).toString());
      } catch (RuntimeException e) {
        byHours.remove(hours, mine); // the next request tries again
        mine.json().completeExceptionally(e);
        throw e;
      }
    }
    try {
      return current.json().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
