package io.tributary.connections;

import io.tributary.providers.Provider;
import java.time.Instant;
import java.util.Map;

/**
 * A connection row as the sync needs it: encrypted tokens, health counters and, when it was loaded
 * with its lease, its sync cursors (empty otherwise).
 */
record StoredConnection(
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

  StoredConnection withCursors(Map<String, String> c) {
    return new StoredConnection(
        id, userId, provider, status, accessTokenEnc, refreshTokenEnc, tokenExpiresAt, consecutiveFailures, version, Map.copyOf(c));
  }
}
