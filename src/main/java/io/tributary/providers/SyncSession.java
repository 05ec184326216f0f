package io.tributary.providers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a provider client may do while syncing one connection: use and refresh its token, read its
 * cursors, and store pages of records. Implemented by the connection sync, so clients never touch the
 * database, the token vault or the clock directly.
 */
public interface SyncSession {

  long connectionId();

  /** The current access token (decrypted). */
  String accessToken();

  boolean canRefresh();

  /**
   * Refreshes the access token once for this connection, single-flight across threads and
   * instances: when another sync already replaced {@code rejectedToken}, its new token is used and
   * no refresh token is spent.
   *
   * @throws ProviderException of kind {@link ProviderException.Kind#REAUTH} on a revoked grant
   */
  void refreshAccessToken(String rejectedToken);

  Optional<String> cursor(String name);

  /** Stores one page atomically (records and cursors together). */
  StoreResult store(RecordBatch batch);

  /** Counts one provider API call (for the run log and the request-count assertions). */
  void countCall();

  Clock clock();

  /**
   * How long this connection's sync may still take (its per-connection timeout). Measured on a
   * monotonic clock: a jump of the wall clock neither ends a sync early nor lets it run forever.
   */
  Duration remaining();
}
