package io.tributary.connections;

import io.tributary.providers.Provider;
import java.time.Instant;
import java.util.Map;

/**
 * A connection row as the sync needs it: encrypted tokens, health counters and, when it was loaded
 * with its lease, its sync cursors (empty otherwise). Public so the sync engine can hand the
 * connections it leased in a batch ({@link ConnectionSync#leaseForRun}) to its workers; only this
 * package reads it.
 */
public record StoredConnection(
    long id,
    long userId,
    Provider provider,
    ConnectionStatus status,
    String accessTokenEnc,
    String refreshTokenEnc,
    Instant tokenExpiresAt,
    int consecutiveFailures,
    long version,
    Map<String, String> cursors) {

  /** Without the (encrypted) tokens and cursors: nothing of them belongs in a log. */
  @Override
  public String toString() {
    return "StoredConnection[id=" + id + ", provider=" + provider.id() + ", status=" + status.id() + "]";
  }

  StoredConnection withCursors(Map<String, String> c) {
    return new StoredConnection(
        id, userId, provider, status, accessTokenEnc, refreshTokenEnc, tokenExpiresAt, consecutiveFailures, version, Map.copyOf(c));
  }
}
