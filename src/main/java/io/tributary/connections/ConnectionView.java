package io.tributary.connections;

import java.time.Instant;

/**
 * A connection as the API shows it: identity, status and sync health. Never carries a token.
 */
public record ConnectionView(
    long id,
    String userId,
    String provider,
    String status,
    String statusReason,
    String scopes,
    Instant tokenExpiresAt,
    Instant createdAt,
    Instant lastSyncAt,
    Instant lastSuccessAt,
    String lastError,
    int consecutiveFailures,
    long recordsCount,
    int lastRecordsChanged,
    Instant nextAttemptAt) {}
