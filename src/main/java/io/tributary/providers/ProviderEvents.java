package io.tributary.providers;

import java.time.Duration;

/** CDI events the provider layer fires for whoever counts them (monitoring's metrics). */
public final class ProviderEvents {
  private ProviderEvents() {}

  /** A connection's tokens were refreshed with the refresh grant. */
  public record TokenRefreshed(Provider provider) {}

  /** A sync waited out a provider's rate limit (or its shared budget) instead of deferring. */
  public record RateLimitWaited(Provider provider, Duration waited) {}
}
