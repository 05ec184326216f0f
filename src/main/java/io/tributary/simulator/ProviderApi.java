package io.tributary.simulator;

import io.tributary.simulator.TokenRegistry.AuthStatus;

/**
 * One provider's API: its endpoints, and its shapes for the failures every provider has (bad token,
 * server error, rate limit). {@link ProviderSimulator} applies faults and checks the token, then
 * calls {@link #serve} or, for generated-mode tokens, {@link #serveGenerated}.
 */
abstract class ProviderApi {
  final ProviderSimulator sim;
  final Provider provider;

  ProviderApi(ProviderSimulator sim, Provider provider) {
    this.sim = sim;
    this.provider = provider;
  }

  /** A rejection decided before the token is looked at (e.g. a missing header), or null. */
  SimResponse preAuth(SimRequest request) {
    return null;
  }

  /** The provider's answer to a missing, unknown, revoked or expired token. */
  abstract SimResponse unauthorized(AuthStatus status);

  /** The provider's error JSON with this HTTP status (failNext, random 5xx, down). */
  abstract SimResponse error(int status);

  /** The provider's rate-limit answer; {@code secondary} is GitHub's secondary limit. */
  abstract SimResponse rateLimited(int retryAfterSeconds, boolean secondary);

  /** Serves an API call of an authenticated account. */
  abstract SimResponse serve(SimRequest request, Account account, Faults faults);

  /** Serves an API call in generated mode from data computed from the account id and cursor. */
  abstract SimResponse serveGenerated(SimRequest request, String accountId, GeneratedData shape);

  /** Adds headers every response of this provider carries; {@code token} may be null. */
  SimResponse decorate(SimResponse response, String token) {
    return response;
  }

  /** Parses a non-negative integer parameter; {@code fallback} when absent, -1 when invalid. */
  static int intParam(String value, int fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      return parsed < 0 ? -1 : parsed;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status >= 500 ? "Server Error" : "Client Error";
    };
  }
}
