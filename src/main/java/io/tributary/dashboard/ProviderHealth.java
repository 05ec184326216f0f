package io.tributary.dashboard;

import io.tributary.providers.Provider;
import java.time.Instant;

/**
 * A provider's health on the integrations page: its connections by state now, and how its part of
 * the latest finished run went.
 *
 * @param lastRunId the latest finished execution that synced this provider, or null
 */
public record ProviderHealth(
    Provider provider,
    long active,
    long failing,
    long needsReauth,
    long disabled,
    Long lastRunId,
    Instant lastRunAt,
    long lastRunSyncs,
    long lastRunSuccesses,
    long lastRunFailures,
    long lastRunAverageMs) {

  public long total() {
    return active + failing + needsReauth + disabled;
  }

  public String label() {
    return Labels.provider(provider);
  }

  /**
   * One word for the provider's state: {@code down} when every sync of its latest run failed,
   * {@code degraded} when some connections fail or need re-authorisation, {@code healthy}
   * otherwise, {@code unused} without connections.
   */
  public String state() {
    if (total() == 0) {
      return "unused";
    }
    if (lastRunFailures > 0 && lastRunSuccesses == 0) {
      return "down";
    }
    if (failing > 0 || needsReauth > 0 || lastRunFailures > 0) {
      return "degraded";
    }
    return "healthy";
  }
}
