package io.tributary.connections;

import io.tributary.providers.Provider;
import java.time.Instant;

/** A connection row as the sync needs it: encrypted tokens and health counters. */
record StoredConnection(
    long id,
    long userId,
    Provider provider,
    ConnectionStatus status,
    String accessTokenEnc,
    String refreshTokenEnc,
    Instant tokenExpiresAt,
    int consecutiveFailures,
    long version) {}
