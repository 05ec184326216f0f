package io.tributary.providers;

import java.time.Instant;

/**
 * Tokens a provider's token endpoint handed out. {@code refreshToken} null means "keep the one we
 * have" (Google does not rotate); {@code expiresAt} null means the token does not expire.
 */
public record TokenGrant(
    String accessToken, String refreshToken, Instant expiresAt, String scopes, String account) {

  @Override
  public String toString() {
    // Never print tokens, even by accident.
    return "TokenGrant[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
  }
}
