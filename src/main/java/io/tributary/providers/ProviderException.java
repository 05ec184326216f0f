package io.tributary.providers;

import java.time.Instant;

/**
 * A provider call that failed in a way the sync engine must act on. Messages are short, meant for
 * the connection's {@code last_error}, and never contain a token.
 */
public class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** 5xx, timeouts, malformed JSON: retried within the run, then the connection fails this run. */
    TRANSIENT,
    /** The provider refused the request for good (4xx other than auth and rate limits). */
    PERMANENT,
    /** The grant is revoked or the token is dead with no way to refresh: the user must reconnect. */
    REAUTH,
    /** Rate limited for longer than we may wait now: defer the connection until {@link #retryAt()}. */
    RATE_LIMITED
  }

  private final Kind kind;
  private final Instant retryAt;

  public ProviderException(Kind kind, String message) {
    this(kind, message, null);
  }

  public ProviderException(Kind kind, String message, Instant retryAt) {
    super(message, null, false, false);
    this.kind = kind;
    this.retryAt = retryAt;
  }

  public Kind kind() {
    return kind;
  }

  public Instant retryAt() {
    return retryAt;
  }

  public static ProviderException transientFailure(String message) {
    return new ProviderException(Kind.TRANSIENT, message);
  }

  public static ProviderException permanent(String message) {
    return new ProviderException(Kind.PERMANENT, message);
  }

  public static ProviderException reauth(String message) {
    return new ProviderException(Kind.REAUTH, message);
  }

  public static ProviderException rateLimited(String message, Instant retryAt) {
    return new ProviderException(Kind.RATE_LIMITED, message, retryAt);
  }
}
