package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.connections.ConnectionView;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a row of the integrations table shows, written out before the page renders it. */
class ConnectionRowTest {
  final Instant now = Instant.parse("2025-01-15T10:00:00Z");

  ConnectionView connection(String status, int failures, String error, Instant lastSync, Instant lastSuccess) {
    return new ConnectionView(
        42, "ada lovelace&co", "google_calendar", status, null, "scope", null, now.minusSeconds(86_400),
        lastSync, lastSuccess, error, failures, 1_234_567, 3, null);
  }

  @Test
  void aFailingConnectionShowsItsStateTimesErrorAndRecords() {
    ConnectionRow row =
        new ConnectionRow(
            connection("active", 2, "HTTP 503", now.minusSeconds(300), now.minusSeconds(7200)),
            "/app" + IntegrationsPage.userLink("ada lovelace&co"), now);
    assertEquals(42, row.getId());
    assertEquals("/app/dashboard/integrations?user=ada+lovelace%26co", row.getUserHref(), "the user id encoded for the query");
    assertEquals("Google Calendar", row.getProviderLabel());
    assertEquals("failing", row.getStateId());
    assertEquals("Failing", row.getStateLabel());
    assertEquals(2, row.getConsecutiveFailures());
    assertEquals("2025-01-15T09:55:00Z", row.getLastSync().getIso());
    assertEquals("2025-01-15 09:55:00 UTC", row.getLastSync().getTitle());
    assertEquals("5 min ago", row.getLastSync().getAgo());
    assertEquals("2 h ago", row.getLastSuccess().getAgo());
    assertEquals("HTTP 503", row.getLastError());
    assertEquals("1,234,567", row.getRecords());
    assertTrue(row.isSyncable());
    assertFalse(row.isDisabled());
  }

  @Test
  void aConnectionNeverSyncedShowsDashes() {
    ConnectionRow row = new ConnectionRow(connection("active", 0, null, null, null), "", now);
    assertEquals("active", row.getStateId());
    assertEquals("", row.getLastSync().getIso());
    assertEquals("—", row.getLastSync().getTitle());
    assertEquals("never", row.getLastSync().getAgo());
    assertEquals("never", row.getLastSuccess().getAgo());
    assertEquals("—", row.getLastError());
  }

  @Test
  void onlyAnActiveConnectionCanBeSyncedAndOnlyADisabledOneEnabled() {
    ConnectionRow disabled = new ConnectionRow(connection("disabled", 0, null, null, null), "", now);
    assertFalse(disabled.isSyncable());
    assertTrue(disabled.isDisabled());
    assertEquals("Disabled", disabled.getStateLabel());
    ConnectionRow reauth = new ConnectionRow(connection("needs_reauth", 0, "invalid_grant", null, null), "", now);
    assertFalse(reauth.isSyncable());
    assertFalse(reauth.isDisabled());
    assertEquals("needs_reauth", reauth.getStateId());
  }
}
