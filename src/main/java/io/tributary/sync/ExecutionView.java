package io.tributary.sync;

import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * One row of the execution log, as the API and dashboards show it. {@code providerBreakdown} maps
 * provider → {syncs, successes, failures, deferred, averageDurationMs, recordsChanged, calls}.
 */
public record ExecutionView(
    long id,
    String jobName,
    String interval,
    String trigger,
    Instant slot,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    String status,
    int usersProcessed,
    int providersSync,
    int successCount,
    int failureCount,
    long recordsChanged,
    String errorSummary,
    JsonObject providerBreakdown,
    String instanceId,
    int missedSlots) {}
