package io.tributary.connections;

import java.time.Instant;

/**
 * The result of syncing one connection once: the unit the sync engine counts and logs.
 *
 * @param status {@code success}, {@code failure}, {@code needs_reauth}, {@code deferred} (rate
 *     limited past the wait bound; retried after {@code retryAt}) or {@code skipped} (not active)
 */
public record SyncOutcome(
    long connectionId,
    String provider,
    String status,
    int recordsAdded,
    int recordsUpdated,
    int recordsRemoved,
    int calls,
    long durationMs,
    String error,
    Instant retryAt) {

  /** This outcome with the records of a page written together with it added. */
  public SyncOutcome plus(io.tributary.providers.StoreResult page) {
    if (page.equals(io.tributary.providers.StoreResult.NONE)) {
      return this;
    }
    return new SyncOutcome(connectionId, provider, status, recordsAdded + page.added(), recordsUpdated + page.updated(),
        recordsRemoved + page.removed(), calls, durationMs, error, retryAt);
  }

  /** This attempt as a failure with {@code error}, its figures kept. */
  public SyncOutcome failed(String error) {
    return new SyncOutcome(connectionId, provider, "failure", recordsAdded, recordsUpdated, recordsRemoved, calls,
        durationMs, error, null);
  }

  public boolean succeeded() {
    return "success".equals(status);
  }

  /** Failed this run: counted as a failure in the execution log. */
  public boolean failed() {
    return "failure".equals(status) || "needs_reauth".equals(status);
  }

  public int recordsChanged() {
    return recordsAdded + recordsUpdated + recordsRemoved;
  }
}
