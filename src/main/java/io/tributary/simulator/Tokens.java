package io.tributary.simulator;

/**
 * Tokens the simulator issued for an {@link Account}, as a test would store them in Tributary's
 * token vault.
 *
 * @param accessToken the bearer token for API calls
 * @param refreshToken the refresh token, or null when the account was issued none
 * @param expiresInSeconds the access token's lifetime, or null when it never expires
 */
public record Tokens(String accessToken, String refreshToken, Long expiresInSeconds) {}
