package io.tributary.providers;

import java.time.Duration;

/**
 * How a provider's answer is to be treated, decided by the provider's {@link ResponseRules}: each
 * provider signals auth, rate limits and errors differently (PROVIDERS.md), the reaction is shared.
 */
public sealed interface Verdict {
  record Ok() implements Verdict {}

  /** The access token was rejected: refresh once (when possible) and retry. */
  record TokenRejected(String reason) implements Verdict {}

  /** The grant is gone (revoked, account inactive): the user must reconnect. */
  record GrantRevoked(String reason) implements Verdict {}

  /**
   * Rate limited; {@code retryAfter} is what the provider named, or null to back off exponentially.
   * {@code shared}: the limit is the provider's limit for the whole application (not this user's),
   * so every connection of that provider pauses (see {@link RateBudgets}).
   */
  record RateLimited(Duration retryAfter, String reason, boolean shared) implements Verdict {
    public RateLimited(Duration retryAfter, String reason) {
      this(retryAfter, reason, false);
    }
  }

  record Transient(String reason) implements Verdict {}

  record Permanent(String reason) implements Verdict {}

  Verdict OK = new Ok();
}
