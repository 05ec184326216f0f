package io.tributary.monitoring;

import io.tributary.monitoring.AlertFigures.ChannelFigures;
import io.tributary.monitoring.AlertFigures.IncidentFigures;
import io.tributary.monitoring.AlertFigures.JobFigures;
import io.tributary.monitoring.AlertFigures.ProviderFigures;
import io.tributary.platform.database.DatabaseTrouble;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place that decides which alerts hold, as pure functions of {@link AlertFigures} (fetched by
 * SQL) and the thresholds of {@link MonitoringSettings}. The seed's three rules, and what an operator
 * of a scheduler also needs to hear about:
 *
 * <ul>
 *   <li>{@code high_failure_rate}: more than {@code alerts.failure.rate.threshold} (50%) of a job's
 *       finished executions in the window failed, with at least {@code
 *       alerts.failure.rate.min.executions} (5) of them;
 *   <li>{@code consecutive_failures}: the job's last {@code alerts.consecutive.failures} (3) or more
 *       executions all failed;
 *   <li>{@code long_duration}: the job's average duration in the window is more than {@code
 *       alerts.long.duration.minutes} (5);
 *   <li>{@code missed_run}: the job's latest scheduled run reported missed slots (a catch-up after
 *       downtime), or a due slot has no run yet;
 *   <li>{@code needs_reauth}: at least {@code alerts.needs.reauth.min.connections} (1) of a
 *       provider's connections need their user to reconnect;
 *   <li>{@code stale_data}: the share of a provider's active connections without a success for
 *       {@code alerts.stale.data.intervals} (2) × its interval is above {@code
 *       alerts.stale.data.target} (10%);
 *   <li>{@code provider_incident}: in the provider's latest run, at least {@code
 *       alerts.provider.incident.min.connections} (3) connections, and at least {@code
 *       alerts.provider.incident.min.share} (50%) of those attempted, failed with the same error: one
 *       alert for the provider, not one per connection. Syncs that failed because our own
 *       database was unavailable are not the provider's failures ({@link #blamesProvider}): they
 *       count neither as failing nor as attempted;
 *   <li>{@code notification_failure}: an alert notification was given up on after its last attempt.
 * </ul>
 *
 * Failure counting follows {@link io.tributary.sync.RunStatus}: {@code failure} and {@code
 * interrupted} are failures; {@code partial} (some provider syncs failed, others succeeded) is not a
 * job failure (the provider rules see it instead); {@code running} is not counted yet. Comparisons
 * with fractional thresholds are exact (decimal), so 5 of 10 is not above 50%.
 */
public final class AlertRules {

  public static final String HIGH_FAILURE_RATE = "high_failure_rate";
  public static final String CONSECUTIVE_FAILURES = "consecutive_failures";
  public static final String LONG_DURATION = "long_duration";
  public static final String MISSED_RUN = "missed_run";
  public static final String NEEDS_REAUTH = "needs_reauth";
  public static final String STALE_DATA = "stale_data";
  public static final String PROVIDER_INCIDENT = "provider_incident";
  public static final String NOTIFICATION_FAILURE = "notification_failure";

  static final String CRITICAL = "critical";
  static final String WARNING = "warning";

  private final MonitoringSettings s;

  public AlertRules(MonitoringSettings settings) {
    this.s = settings;
  }

  /** Every alert that holds for these figures, jobs first, then providers, then channels. */
  public List<Alert> evaluate(AlertFigures f) {
    List<Alert> out = new ArrayList<>();
    for (JobFigures j : f.jobs()) {
      highFailureRate(j, f.window()).ifPresent(out::add);
      consecutiveFailures(j).ifPresent(out::add);
      longDuration(j, f.window()).ifPresent(out::add);
      missedRun(j).ifPresent(out::add);
    }
    for (ProviderFigures p : f.providers()) {
      needsReauth(p).ifPresent(out::add);
      staleData(p).ifPresent(out::add);
      providerIncident(p).ifPresent(out::add);
    }
    for (ChannelFigures c : f.channels()) {
      notificationFailure(c).ifPresent(out::add);
    }
    return out;
  }

  Optional<Alert> highFailureRate(JobFigures j, Duration window) {
    if (j.finished() < s.failureRateMinExecutions
        || !above(j.failed(), j.finished(), s.failureRateThreshold)) {
      return Optional.empty();
    }
    double rate = (double) j.failed() / j.finished();
    return Optional.of(
        new Alert(
            HIGH_FAILURE_RATE, CRITICAL, Alert.JOB, j.jobName(),
            j.jobName() + ": " + j.failed() + " of " + j.finished() + " executions in the last " + hours(window)
                + " failed (" + percent(rate) + "), above " + percent(s.failureRateThreshold) + ".",
            rate, s.failureRateThreshold, j.firstFailure()));
  }

  Optional<Alert> consecutiveFailures(JobFigures j) {
    if (j.failureStreak() < s.consecutiveFailures) {
      return Optional.empty();
    }
    return Optional.of(
        new Alert(
            CONSECUTIVE_FAILURES, CRITICAL, Alert.JOB, j.jobName(),
            j.jobName() + ": the last " + j.failureStreak() + " executions failed (alert at "
                + s.consecutiveFailures + " in a row).",
            j.failureStreak(), s.consecutiveFailures, j.streakSince()));
  }

  Optional<Alert> longDuration(JobFigures j, Duration window) {
    long limit = s.longDuration.toMillis();
    if (j.averageDurationMs() == null || j.finished() == 0 || !(j.averageDurationMs() > limit)) {
      return Optional.empty();
    }
    return Optional.of(
        new Alert(
            LONG_DURATION, WARNING, Alert.JOB, j.jobName(),
            j.jobName() + ": executions in the last " + hours(window) + " took "
                + String.format(Locale.ROOT, "%.1f", j.averageDurationMs() / 60_000.0) + " min on average, above "
                + s.longDuration.toMinutes() + " min.",
            j.averageDurationMs(), limit, j.firstExecution()));
  }

  Optional<Alert> missedRun(JobFigures j) {
    if (!j.scheduled() || (j.missedSlots() <= 0 && j.overdueSlots() <= 0)) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    if (j.missedSlots() > 0) {
      parts.add(j.missedSlots() + " scheduled slot(s) passed without a run before its latest (catch-up) run");
    }
    if (j.overdueSlots() > 0) {
      parts.add("the slot of " + j.firstOverdueSlot() + (j.overdueSlots() > 1 ? " and " + (j.overdueSlots() - 1) + " later one(s)" : "")
          + " has not started");
    }
    java.time.Instant since =
        j.missedSlots() > 0 && j.missedSince() != null ? j.missedSince() : j.firstOverdueSlot();
    return Optional.of(
        new Alert(
            MISSED_RUN, CRITICAL, Alert.JOB, j.jobName(),
            j.jobName() + ": " + String.join("; ", parts) + " (is the service or its scheduler down?).",
            j.missedSlots() + j.overdueSlots(), 0, since));
  }

  Optional<Alert> needsReauth(ProviderFigures p) {
    if (p.needsReauth() < s.needsReauthMinConnections) {
      return Optional.empty();
    }
    return Optional.of(
        new Alert(
            NEEDS_REAUTH, WARNING, Alert.PROVIDER, p.provider(),
            p.provider() + ": " + p.needsReauth() + " connection(s) need re-authorisation; their users must reconnect"
                + " (GET /api/connections?provider=" + p.provider() + "&status=needs_reauth).",
            p.needsReauth(), s.needsReauthMinConnections, p.needsReauthSince()));
  }

  Optional<Alert> staleData(ProviderFigures p) {
    if (!p.scheduled() || p.active() == 0 || !above(p.stale(), p.active(), s.staleDataTarget)) {
      return Optional.empty();
    }
    double share = (double) p.stale() / p.active();
    long minutes = p.interval().toMinutes();
    return Optional.of(
        new Alert(
            STALE_DATA, WARNING, Alert.PROVIDER, p.provider(),
            p.provider() + ": " + p.stale() + " of " + p.active() + " active connections (" + percent(share)
                + ") have not synced successfully for over " + (minutes * s.staleDataIntervals) + " min ("
                + s.staleDataIntervals + " × " + minutes + " min), above the " + percent(s.staleDataTarget) + " target.",
            share, s.staleDataTarget, p.staleSince()));
  }

  /**
   * Whether a connection's failed sync, recorded with {@code error}, says anything about its
   * provider. One that failed because our own database was unavailable ({@link
   * DatabaseTrouble#SYNC_ERROR}, recorded by the sync for a pool timeout, a refused or cut
   * connection) does not: a database restart fails connections of every provider alike, and must
   * not page anyone about GitHub or Slack. The database's own trouble shows on {@code /health/ready}
   * and as the runs' failures.
   */
  public static boolean blamesProvider(String error) {
    return !DatabaseTrouble.SYNC_ERROR.equals(error);
  }

  Optional<Alert> providerIncident(ProviderFigures p) {
    IncidentFigures i = p.incident();
    if (i == null
        || !blamesProvider(i.error())
        || i.attempted() == 0
        || i.failing() < s.incidentMinConnections
        || below(i.failing(), i.attempted(), s.incidentMinShare)) {
      return Optional.empty();
    }
    return Optional.of(
        new Alert(
            PROVIDER_INCIDENT, CRITICAL, Alert.PROVIDER, p.provider(),
            p.provider() + ": " + i.failing() + " of " + i.attempted() + " connections failed in execution "
                + i.executionId() + " with the same error: " + abbreviate(i.error()) + ".",
            i.failing(), s.incidentMinConnections, i.runStartedAt()));
  }

  Optional<Alert> notificationFailure(ChannelFigures c) {
    if (c.undeliverable() <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Alert(
            NOTIFICATION_FAILURE, WARNING, Alert.CHANNEL, c.channel(),
            c.channel() + ": " + c.undeliverable() + " alert notification(s) could not be delivered after "
                + s.notifyMaxAttempts + " attempt(s)" + (c.lastError() == null ? "" : " (last error: " + abbreviate(c.lastError()) + ")")
                + "; check " + MonitoringSettings.env(c.channel().equals(Notifications.SLACK) ? "alert.slack.webhook.url" : "alert.webhook.url") + ".",
            c.undeliverable(), 0, c.since()));
  }

  /** part / whole > fraction, exactly. */
  static boolean above(long part, long whole, double fraction) {
    return BigDecimal.valueOf(part).compareTo(BigDecimal.valueOf(fraction).multiply(BigDecimal.valueOf(whole))) > 0;
  }

  /** part / whole < fraction, exactly. */
  static boolean below(long part, long whole, double fraction) {
    return BigDecimal.valueOf(part).compareTo(BigDecimal.valueOf(fraction).multiply(BigDecimal.valueOf(whole))) < 0;
  }

  private static String percent(double fraction) {
    double p = fraction * 100;
    return (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
  }

  private static String hours(Duration window) {
    return window.toHours() + " h";
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "(no error text)";
    }
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
