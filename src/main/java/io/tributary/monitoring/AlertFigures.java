package io.tributary.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything the alert rules look at, fetched by SQL ({@link MonitoringQueries#alertFigures}) at one
 * instant. Plain values, so {@link AlertRules} is a pure function of them and unit-testable.
 */
public record AlertFigures(
    Instant now, Duration window, List<JobFigures> jobs, List<ProviderFigures> providers, List<ChannelFigures> channels) {

  /**
   * One job over the alert window.
   *
   * @param scheduled the job has a schedule (not {@code off}) and at least one enabled provider
   * @param finished executions started in the window that are no longer running
   * @param failed of those, status {@code failure} or {@code interrupted} ({@code partial} is not a
   *     failure)
   * @param firstFailure start of the earliest failed execution in the window
   * @param averageDurationMs mean duration of the finished executions in the window, null if none
   * @param firstExecution start of the earliest execution in the window
   * @param failureStreak failed executions since the job's latest {@code success} or {@code partial}
   *     (not limited to the window)
   * @param streakSince start of the first execution of that streak
   * @param missedSlots slots the job's latest scheduled (or catch-up) run reported as missed
   * @param missedSince the first of those missed slots (approximately, for irregular schedules)
   * @param overdueSlots due slots (older than the grace period) with no run since the latest one
   * @param firstOverdueSlot the first of those
   */
  public record JobFigures(
      String jobName,
      boolean scheduled,
      long finished,
      long failed,
      Instant firstFailure,
      Double averageDurationMs,
      Instant firstExecution,
      int failureStreak,
      Instant streakSince,
      int missedSlots,
      Instant missedSince,
      int overdueSlots,
      Instant firstOverdueSlot) {}

  /**
   * One provider's connections now.
   *
   * @param scheduled the provider is enabled and its job has a schedule
   * @param interval the schedule period of its job (the nominal 15 or 30 minutes when off)
   * @param stale active connections whose last success (or creation, if never synced) is older than
   *     {@code alerts.stale.data.intervals} × interval
   * @param staleSince when the first of those became stale
   * @param incident the most common failure of the provider's latest run, if any failed
   */
  public record ProviderFigures(
      String provider,
      boolean scheduled,
      Duration interval,
      long active,
      long needsReauth,
      Instant needsReauthSince,
      long stale,
      Instant staleSince,
      IncidentFigures incident) {}

  /**
   * The largest group of a provider's connections that failed with one error in one run.
   *
   * @param failing connections of the provider that failed in the run with {@code error}
   * @param attempted connections of the provider the run attempted (succeeded, failed or deferred)
   */
  public record IncidentFigures(long executionId, Instant runStartedAt, String error, long failing, long attempted) {}

  /**
   * One notification channel.
   *
   * @param undeliverable notifications given up on (after the last attempt) since the channel's
   *     latest delivered one
   */
  public record ChannelFigures(String channel, long undeliverable, Instant since, String lastError) {}
}
