package io.tributary.providers;

import java.time.Instant;

/**
 * One provider object in Tributary's model. {@code raw} is the provider's JSON for the object as
 * received; {@code kind} is one of repository, issue, pull_request, page, database, channel, message,
 * event.
 */
public record SyncedRecord(
    String kind, String externalId, String title, String url, Instant updatedAt, String raw) {

  public SyncedRecord {
    if (kind == null || externalId == null || externalId.isEmpty()) {
      throw new IllegalArgumentException("A record needs a kind and an external id");
    }
    title = truncate(title, 1000);
    url = truncate(url, 2000);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
