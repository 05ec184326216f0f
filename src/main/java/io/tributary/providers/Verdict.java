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

  /** Rate limited; {@code retryAfter} is what the provider named, or null to back off exponentially. */
  record RateLimited(Duration retryAfter, String reason) implements Verdict {}

  record Transient(String reason) implements Verdict {}

  record Permanent(String reason) implements Verdict {}

  Verdict OK = new Ok();
}
