package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.monitoring.AlertRules;
import io.tributary.monitoring.StoredAlert;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every alert says what to do and links to where to look. */
class AlertViewTest {

  static StoredAlert alert(String type, String kind, String subject) {
    Instant t = Instant.parse("2025-01-15T10:00:00Z");
    return new StoredAlert(1, type, "critical", kind, subject, "open", "msg", 3.0, 3.0, t, t, t, null);
  }

  @Test
  void jobAlertsLinkToTheJobsLatestExecution() {
    AlertView v = AlertView.of(alert(AlertRules.CONSECUTIVE_FAILURES, "job", "sync-integrations-30min"), 42L);
    assertEquals("Consecutive failures", v.title());
    assertEquals("Every 30 minutes (sync-integrations-30min)", v.subject());
    assertEquals("/dashboard/execution?id=42", v.link());
    assertTrue(v.isCritical());
    assertEquals("/dashboard/monitoring#executions",
        AlertView.of(alert(AlertRules.HIGH_FAILURE_RATE, "job", "sync-integrations-15min"), null).link());
  }

  @Test
  void providerAlertsLinkToTheProvidersConnections() {
    assertEquals("/dashboard/integrations?provider=slack&status=needs_reauth",
        AlertView.of(alert(AlertRules.NEEDS_REAUTH, "provider", "slack"), null).link());
    assertEquals("/dashboard/integrations?provider=notion&status=failing",
        AlertView.of(alert(AlertRules.PROVIDER_INCIDENT, "provider", "notion"), null).link());
    assertEquals("Notion", AlertView.of(alert(AlertRules.STALE_DATA, "provider", "notion"), null).subject());
  }

  @Test
  void everyKnownTypeHasAdvice() {
    for (String type : new String[] {AlertRules.CONSECUTIVE_FAILURES, AlertRules.HIGH_FAILURE_RATE,
        AlertRules.LONG_DURATION, AlertRules.MISSED_RUN, AlertRules.NEEDS_REAUTH, AlertRules.STALE_DATA,
        AlertRules.PROVIDER_INCIDENT, AlertRules.NOTIFICATION_FAILURE}) {
      AlertView v = AlertView.of(alert(type, type.equals(AlertRules.NOTIFICATION_FAILURE) ? "channel" : "job", "x"), null);
      assertFalse(v.advice().isBlank(), type);
      assertFalse(v.title().equals(type), "a human title for " + type);
    }
  }
}
