package io.tributary.monitoring;

import io.tributary.monitoring.MonitoringQueries.ProviderConnections;
import io.tributary.providers.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The connection figures (counts by status, freshness percentiles) as of a few seconds ago. With
 * 100,000 connections they are an aggregate over 100,000 rows (tens of milliseconds), so the
 * monitoring endpoint reads this snapshot instead of recomputing it per request; every instance's
 * timer refreshes it every ten seconds, and every alert evaluation (which always computes them
 * fresh) stores its own result here. A snapshot older than {@link #MAX_AGE} is recomputed on read.
 */
@ApplicationScoped
public class LatestConnectionFigures {

  static final Duration MAX_AGE = Duration.ofSeconds(30);

  @Inject MonitoringQueries queries;

  /** Figures computed at {@code asOf}. */
  public record Snapshot(Instant asOf, Map<Provider, ProviderConnections> figures) {}

  private volatile Snapshot latest;

  /** The latest snapshot, recomputed first if it is older than {@link #MAX_AGE} (or from the future). */
  public Snapshot at(Instant now) {
    Snapshot s = latest;
    if (s == null || s.asOf().isBefore(now.minus(MAX_AGE)) || s.asOf().isAfter(now)) {
      s = refresh(now);
    }
    return s;
  }

  public Snapshot refresh(Instant now) {
    return store(now, queries.providerConnections(now));
  }

  public Snapshot store(Instant asOf, Map<Provider, ProviderConnections> figures) {
    Snapshot s = new Snapshot(asOf, Map.copyOf(figures));
    Snapshot current = latest;
    if (current == null || !current.asOf().isAfter(asOf)) {
      latest = s;
    }
    return s;
  }
}
