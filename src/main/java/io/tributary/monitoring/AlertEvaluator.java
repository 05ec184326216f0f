package io.tributary.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings the stored alerts in line with the rules: fetches the figures ({@link MonitoringQueries}),
 * asks {@link AlertRules} which alerts hold, opens the new ones, refreshes those still holding and
 * counts a clear evaluation for the others (resolving them after {@code alerts.resolve.after.runs}).
 *
 * <p>Runs after every finished run (key {@code run-<id>}) and periodically (key {@code
 * tick-<bucket>}, the same bucket on every instance, so one periodic evaluation counts once however
 * many instances run it). Never inside a sync's transaction: each alert change is its own short
 * transaction in {@link AlertStore}.
 */
@ApplicationScoped
public class AlertEvaluator {

  @Inject MonitoringQueries queries;
  @Inject AlertStore store;
  @Inject MonitoringSettings settings;
  @Inject Clock clock;

  /** What one evaluation changed. */
  public record Transitions(List<StoredAlert> opened, List<StoredAlert> resolved) {
    public boolean any() {
      return !opened.isEmpty() || !resolved.isEmpty();
    }
  }

  /** One evaluation at a time per instance: they would only repeat each other's work. */
  public synchronized Transitions evaluate(String evaluationKey) {
    Instant now = clock.instant();
    List<Alert> holding = new AlertRules(settings).evaluate(queries.alertFigures(now));
    Map<String, StoredAlert> open = new LinkedHashMap<>();
    for (StoredAlert a : store.open()) {
      open.put(a.key(), a);
    }
    List<StoredAlert> opened = new ArrayList<>();
    List<StoredAlert> resolved = new ArrayList<>();
    for (Alert a : holding) {
      StoredAlert existing = open.remove(a.key());
      if (existing == null) {
        store.open(a, now).ifPresent(opened::add);
      } else {
        store.stillHolds(existing.id(), a, now);
      }
    }
    for (StoredAlert gone : open.values()) {
      Optional<StoredAlert> r = store.clear(gone.id(), evaluationKey, settings.resolveAfterRuns, now);
      r.ifPresent(resolved::add);
    }
    return new Transitions(opened, resolved);
  }

  /** The key of the periodic evaluation due at {@code now}: equal on every instance within one interval. */
  public String tickKey(Instant now) {
    return "tick-" + Math.floorDiv(now.getEpochSecond(), settings.evaluateEvery.getSeconds());
  }
}
