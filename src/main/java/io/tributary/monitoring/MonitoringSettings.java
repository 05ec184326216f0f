package io.tributary.monitoring;

import io.tributary.platform.ConfigurationError;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Monitoring's configuration, read once (each key has its environment variable in MicroProfile
 * Config's mapping: {@code alerts.failure.rate.threshold} ← {@code ALERTS_FAILURE_RATE_THRESHOLD},
 * {@code alert.slack.webhook.url} ← {@code ALERT_SLACK_WEBHOOK_URL}, {@code log.retention.days} ←
 * {@code LOG_RETENTION_DAYS}). The alert thresholds default to the seed's. A malformed value stops the
 * start with a message naming the key, as the sync settings do.
 *
 * <p>{@code @Dependent}, not {@code @ApplicationScoped}: the values are read as fields, and a
 * normal-scoped bean is injected as a client proxy whose own fields are never set.
 */
@Dependent
public class MonitoringSettings {

  @Inject Config config;

  // Alert rules (see AlertRules).
  double failureRateThreshold;
  int failureRateMinExecutions;
  int consecutiveFailures;
  Duration longDuration;
  Duration missedRunGrace;
  int needsReauthMinConnections;
  double staleDataTarget;
  int staleDataIntervals;
  int incidentMinConnections;
  double incidentMinShare;
  Duration alertWindow;
  int resolveAfterRuns;
  Duration evaluateEvery;

  // Notifications.
  Optional<URI> slackWebhook;
  Optional<URI> genericWebhook;
  int notifyMaxAttempts;
  Duration notifyBackoffBase;
  Duration notifyBackoffMax;
  Duration notifyTimeout;

  // Report and cleanup.
  int recentExecutions;
  int logRetentionDays;

  /** For tests and tools: settings from any Config (a malformed value throws IllegalStateException). */
  public static MonitoringSettings from(Config config) {
    MonitoringSettings s = new MonitoringSettings();
    s.config = config;
    s.read();
    return s;
  }

  /** In the container: a malformed value stops the start with one clear line (MonitoringTimer reads it at startup). */
  @PostConstruct
  void load() {
    try {
      read();
    } catch (IllegalStateException e) {
      throw ConfigurationError.stop(e.getMessage());
    }
  }

  private void read() {
    failureRateThreshold = fraction("alerts.failure.rate.threshold", 0.5);
    failureRateMinExecutions = whole("alerts.failure.rate.min.executions", 5, 1, 100_000);
    consecutiveFailures = whole("alerts.consecutive.failures", 3, 1, 10_000);
    longDuration = Duration.ofMinutes(whole("alerts.long.duration.minutes", 5, 1, 10_000));
    missedRunGrace = Duration.ofMinutes(whole("alerts.missed.run.grace.minutes", 2, 1, 1_440));
    needsReauthMinConnections = whole("alerts.needs.reauth.min.connections", 1, 1, 1_000_000);
    staleDataTarget = fraction("alerts.stale.data.target", 0.1);
    staleDataIntervals = whole("alerts.stale.data.intervals", 2, 1, 1_000);
    incidentMinConnections = whole("alerts.provider.incident.min.connections", 3, 1, 1_000_000);
    incidentMinShare = fraction("alerts.provider.incident.min.share", 0.5);
    alertWindow = Duration.ofHours(whole("alerts.window.hours", 24, 1, 168));
    resolveAfterRuns = whole("alerts.resolve.after.runs", 1, 1, 1_000);
    evaluateEvery = Duration.ofSeconds(whole("alerts.evaluate.interval.seconds", 60, 10, 86_400));

    slackWebhook = url("alert.slack.webhook.url");
    genericWebhook = url("alert.webhook.url");
    notifyMaxAttempts = whole("alerts.notify.max.attempts", 6, 1, 100);
    notifyBackoffBase = Duration.ofSeconds(whole("alerts.notify.backoff.base.seconds", 10, 1, 86_400));
    notifyBackoffMax = Duration.ofSeconds(whole("alerts.notify.backoff.max.seconds", 900, 1, 86_400));
    notifyTimeout = Duration.ofSeconds(whole("alerts.notify.timeout.seconds", 10, 1, 300));

    recentExecutions = whole("monitoring.recent.executions", 20, 1, 500);
    logRetentionDays = whole("log.retention.days", 30, 1, 3650);
  }

  private Optional<String> raw(String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
  }

  private int whole(String key, int def, int min, int max) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the message
    }
    throw new IllegalStateException(
        key + " (" + env(key) + ") must be a whole number from " + min + " to " + max + ", got '" + v.get() + "'");
  }

  private double fraction(String key, double def) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      double d = Double.parseDouble(v.get());
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the message
    }
    throw new IllegalStateException(
        key + " (" + env(key) + ") must be a fraction from 0 to 1 such as 0.5, got '" + v.get() + "'");
  }

  private Optional<URI> url(String key) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI u = URI.create(v.get());
      if (("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null) {
        return Optional.of(u);
      }
    } catch (IllegalArgumentException ignored) {
      // fall through to the message
    }
    // The URL is a secret (a Slack webhook URL is its own credential): never echo it.
    throw new IllegalStateException(key + " (" + env(key) + ") must be an http(s) URL");
  }

  static String env(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** The configured notification channels and their URLs. */
  Optional<URI> channelUrl(String channel) {
    return switch (channel) {
      case Notifications.SLACK -> slackWebhook;
      case Notifications.WEBHOOK -> genericWebhook;
      default -> Optional.empty();
    };
  }

  public int logRetentionDays() {
    return logRetentionDays;
  }

  public Duration evaluateEvery() {
    return evaluateEvery;
  }
}
