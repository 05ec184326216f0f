package io.tributary.providers;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter for transient provider failures, and the bound on how
 * long a rate-limit wait may be before the connection is deferred instead.
 *
 * @param maxRetries retries after the first attempt for 5xx/timeouts/malformed answers
 * @param baseDelay first backoff; doubles each retry, capped at {@code maxDelay}
 * @param maxRateLimitWait a provider-named wait longer than this defers the connection
 * @param maxRateLimitWaits how many rate-limit waits one sync may sit through
 */
public record RetryPolicy(
    int maxRetries,
    Duration baseDelay,
    Duration maxDelay,
    Duration maxRateLimitWait,
    int maxRateLimitWaits) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30), 3);

  /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))], so retries of many syncs spread out. */
  public Duration backoff(int attempt) {
    long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, attempt - 1));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
  }
}
