package io.tributary.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.monitoring.AlertFigures.ChannelFigures;
import io.tributary.monitoring.AlertFigures.IncidentFigures;
import io.tributary.monitoring.AlertFigures.JobFigures;
import io.tributary.monitoring.AlertFigures.ProviderFigures;
import io.tributary.platform.database.DatabaseTrouble;
import io.tributary.testing.MapConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule at, just below and just above its threshold, on figures given directly. */
class AlertRulesTest {

  static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
  static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");
  static final Duration WINDOW = Duration.ofHours(24);

  final AlertRules defaults = new AlertRules(MonitoringSettings.from(new MapConfig()));

  static JobFigures job(long finished, long failed, Double avgMs, int streak) {
    return new JobFigures("sync-integrations-15min", true, finished, failed, T0, avgMs, T0, streak, T0, 0, null, 0, null);
  }

  static JobFigures missed(boolean scheduled, int missedSlots, int overdue) {
    return new JobFigures(
        "sync-integrations-30min", scheduled, 1, 0, null, 1000.0, T0, 0, null, missedSlots,
        missedSlots > 0 ? T0 : null, overdue, overdue > 0 ? Instant.parse("2026-01-15T11:30:00Z") : null);
  }

  static ProviderFigures provider(long active, long needsReauth, long stale, IncidentFigures incident) {
    return new ProviderFigures("notion", true, Duration.ofMinutes(30), active, needsReauth, T0, stale, T0, incident);
  }

  @ParameterizedTest(name = "{0} of {1} failed → alert: {2}")
  @CsvSource({
    "4, 4, false", // 100% but only 4 executions: below the minimum of 5
    "5, 2, false", // 40%
    "5, 3, true", // 60% of 5: the minimum reached
    "10, 5, false", // exactly 50% is not more than 50%
    "100, 50, false",
    "100, 51, true", // 51%
    "6, 3, false",
    "7, 4, true"
  })
  void highFailureRateNeedsMoreThanHalfOfAtLeastFiveExecutions(long finished, long failed, boolean alert) {
    Optional<Alert> a = defaults.highFailureRate(job(finished, failed, 1000.0, 0), WINDOW);
    assertEquals(alert, a.isPresent(), () -> a.toString());
    a.ifPresent(
        x -> {
          assertEquals(AlertRules.HIGH_FAILURE_RATE, x.type());
          assertEquals("critical", x.severity());
          assertEquals("sync-integrations-15min", x.subject());
          assertEquals((double) failed / finished, x.observedValue(), 1e-9);
          assertEquals(0.5, x.threshold());
          assertEquals(T0, x.since());
          assertTrue(x.message().contains(failed + " of " + finished), x.message());
        });
  }

  @ParameterizedTest(name = "streak {0} → alert: {1}")
  @CsvSource({"0, false", "2, false", "3, true", "4, true"})
  void consecutiveFailuresFromThreeInARow(int streak, boolean alert) {
    Optional<Alert> a = defaults.consecutiveFailures(job(10, streak, 1000.0, streak));
    assertEquals(alert, a.isPresent());
    a.ifPresent(x -> {
      assertEquals(streak, x.observedValue());
      assertEquals(3, x.threshold());
      assertEquals(T0, x.since());
    });
  }

  @ParameterizedTest(name = "average {0} ms → alert: {1}")
  @CsvSource({"299999, false", "300000, false", "300000.5, true", "300001, true", "900000, true"})
  void longDurationWhenTheAverageIsAboveFiveMinutes(double avgMs, boolean alert) {
    Optional<Alert> a = defaults.longDuration(job(3, 0, avgMs, 0), WINDOW);
    assertEquals(alert, a.isPresent());
    a.ifPresent(x -> {
      assertEquals(AlertRules.LONG_DURATION, x.type());
      assertEquals("warning", x.severity());
      assertEquals(300_000, x.threshold());
      assertEquals(avgMs, x.observedValue());
    });
  }

  @Test
  void noDurationAlertWithoutFinishedExecutions() {
    assertFalse(defaults.longDuration(job(0, 0, null, 0), WINDOW).isPresent());
  }

  @Test
  void missedRunFromACatchUpOrAnOverdueSlotOfAScheduledJobOnly() {
    assertFalse(defaults.missedRun(missed(true, 0, 0)).isPresent());
    Alert catchUp = defaults.missedRun(missed(true, 3, 0)).orElseThrow();
    assertEquals(3, catchUp.observedValue());
    assertEquals(0, catchUp.threshold());
    assertEquals(T0, catchUp.since());
    assertTrue(catchUp.message().contains("3 scheduled slot(s)"), catchUp.message());
    Alert overdue = defaults.missedRun(missed(true, 0, 1)).orElseThrow();
    assertEquals(Instant.parse("2026-01-15T11:30:00Z"), overdue.since());
    assertTrue(overdue.message().contains("has not started"), overdue.message());
    assertFalse(defaults.missedRun(missed(false, 3, 2)).isPresent(), "a job whose schedule is off misses nothing");
  }

  @Test
  void needsReauthFromTheConfiguredNumberOfConnections() {
    assertFalse(defaults.needsReauth(provider(10, 0, 0, null)).isPresent());
    Alert a = defaults.needsReauth(provider(10, 1, 0, null)).orElseThrow();
    assertEquals("provider", a.subjectKind());
    assertEquals("notion", a.subject());
    assertEquals(1, a.observedValue());
    AlertRules two = new AlertRules(MonitoringSettings.from(new MapConfig().with("alerts.needs.reauth.min.connections", "2")));
    assertFalse(two.needsReauth(provider(10, 1, 0, null)).isPresent());
    assertTrue(two.needsReauth(provider(10, 2, 0, null)).isPresent());
  }

  @ParameterizedTest(name = "{1} of {0} stale → alert: {2}")
  @CsvSource({"10, 0, false", "10, 1, false", "10, 2, true", "0, 0, false", "3, 3, true", "1000, 100, false", "1000, 101, true"})
  void staleDataAboveTheTargetShare(long active, long stale, boolean alert) {
    Optional<Alert> a = defaults.staleData(provider(active, 0, stale, null));
    assertEquals(alert, a.isPresent());
    a.ifPresent(x -> {
      assertEquals(0.1, x.threshold());
      assertTrue(x.message().contains("60 min (2 × 30 min)"), x.message());
    });
  }

  @Test
  void noStaleDataAlertForAProviderThatIsNotScheduled() {
    ProviderFigures off = new ProviderFigures("slack", false, Duration.ofMinutes(30), 10, 0, null, 10, T0, null);
    assertFalse(defaults.staleData(off).isPresent());
  }

  @ParameterizedTest(name = "{0} of {1} failed with one error → incident: {2}")
  @CsvSource({"2, 2, false", "2, 4, false", "3, 4, true", "3, 6, true", "3, 7, false", "40, 40, true"})
  void providerIncidentWhenManyConnectionsFailAlike(long failing, long attempted, boolean alert) {
    IncidentFigures i = new IncidentFigures(42, T0, "HTTP 503 after 4 attempts", failing, attempted);
    Optional<Alert> a = defaults.providerIncident(provider(attempted, 0, 0, i));
    assertEquals(alert, a.isPresent());
    a.ifPresent(x -> {
      assertEquals(AlertRules.PROVIDER_INCIDENT, x.type());
      assertEquals("notion", x.subject());
      assertTrue(x.message().contains("execution 42") && x.message().contains("HTTP 503"), x.message());
      assertEquals(failing, x.observedValue());
      assertEquals(T0, x.since());
    });
  }

  @Test
  void syncsFailedOnOurOwnDatabaseAreNoProviderIncident() {
    IncidentFigures outage = new IncidentFigures(42, T0, DatabaseTrouble.SYNC_ERROR, 40, 40);
    assertFalse(defaults.providerIncident(provider(40, 0, 0, outage)).isPresent());
    assertFalse(AlertRules.blamesProvider(DatabaseTrouble.SYNC_ERROR));
    assertTrue(AlertRules.blamesProvider("HTTP 503 after 4 attempts"));
    assertTrue(AlertRules.blamesProvider(null));
  }

  @Test
  void oneIncidentPerProviderNotOnePerConnection() {
    IncidentFigures i = new IncidentFigures(42, T0, "HTTP 503", 40, 40);
    AlertFigures f =
        new AlertFigures(NOW, WINDOW, List.of(), List.of(provider(40, 0, 0, i)), List.of());
    List<Alert> all = defaults.evaluate(f);
    assertEquals(1, all.stream().filter(a -> a.type().equals(AlertRules.PROVIDER_INCIDENT)).count());
  }

  @Test
  void notificationFailureWhileAnyNotificationWasGivenUpOn() {
    assertFalse(defaults.notificationFailure(new ChannelFigures("slack", 0, null, null)).isPresent());
    Alert a = defaults.notificationFailure(new ChannelFigures("slack", 2, T0, "HTTP 500")).orElseThrow();
    assertEquals("channel", a.subjectKind());
    assertEquals(2, a.observedValue());
    assertTrue(a.message().contains("ALERT_SLACK_WEBHOOK_URL") && a.message().contains("HTTP 500"), a.message());
  }

  @Test
  void everyThresholdIsConfigurable() {
    AlertRules r =
        new AlertRules(
            MonitoringSettings.from(
                new MapConfig()
                    .with("alerts.failure.rate.threshold", "0.2")
                    .with("alerts.failure.rate.min.executions", "2")
                    .with("alerts.consecutive.failures", "5")
                    .with("alerts.long.duration.minutes", "1")
                    .with("alerts.stale.data.target", "0.5")
                    .with("alerts.provider.incident.min.connections", "10")));
    assertTrue(r.highFailureRate(job(2, 1, 1.0, 0), WINDOW).isPresent());
    assertFalse(r.consecutiveFailures(job(10, 4, 1.0, 4)).isPresent());
    assertTrue(r.longDuration(job(1, 0, 60_001.0, 0), WINDOW).isPresent());
    assertFalse(r.staleData(provider(10, 0, 5, null)).isPresent());
    assertFalse(r.providerIncident(provider(9, 0, 0, new IncidentFigures(1, T0, "x", 9, 9))).isPresent());
  }

  @Test
  void aMalformedSettingNamesItsKeyAndVariable() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> MonitoringSettings.from(new MapConfig().with("alerts.failure.rate.threshold", "50%")));
    assertTrue(e.getMessage().contains("alerts.failure.rate.threshold") && e.getMessage().contains("ALERTS_FAILURE_RATE_THRESHOLD"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> MonitoringSettings.from(new MapConfig().with("log.retention.days", "0")));
    IllegalStateException url =
        assertThrows(
            IllegalStateException.class,
            () -> MonitoringSettings.from(new MapConfig().with("alert.slack.webhook.url", "hooks.slack.com/services/SECRET")));
    assertFalse(url.getMessage().contains("SECRET"), "a webhook URL is a credential: never in a message");
  }

  @Test
  void exactDecimalComparisons() {
    assertFalse(AlertRules.above(3, 10, 0.3), "3 of 10 is not above 30%");
    assertTrue(AlertRules.above(4, 10, 0.3));
    assertFalse(AlertRules.above(7, 10, 0.7));
    assertFalse(AlertRules.below(5, 10, 0.5));
    assertTrue(AlertRules.below(4, 10, 0.5));
  }
}
