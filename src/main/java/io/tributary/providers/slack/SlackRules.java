package io.tributary.providers.slack;

import io.tributary.providers.Provider;
import io.tributary.providers.ProviderResponse;
import io.tributary.providers.ResponseRules;
import io.tributary.providers.Verdict;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Slack's signals (PROVIDERS.md, Slack): errors come as HTTP 200 with {@code {"ok":false,"error"}},
 * so {@code ok} is always checked, never only the status; rate limits are HTTP 429 with {@code
 * Retry-After}. Channel-level errors are left to the client, which skips that channel.
 */
final class SlackRules implements ResponseRules {
  static final Set<String> CHANNEL_ERRORS = Set.of("channel_not_found", "not_in_channel");
  private static final Set<String> TOKEN_ERRORS = Set.of("not_authed", "invalid_auth", "token_expired");
  private static final Set<String> REVOKED = Set.of("token_revoked", "account_inactive");

  @Override
  public Provider provider() {
    return Provider.SLACK;
  }

  @Override
  public Verdict classify(ProviderResponse r) {
    int s = r.status();
    if (s == 429) {
      return new Verdict.RateLimited(
          r.longHeader("retry-after").map(Duration::ofSeconds).orElse(Duration.ofSeconds(60)),
          "Slack: rate limited");
    }
    if (s >= 500) {
      return new Verdict.Transient("Slack: HTTP " + s);
    }
    if (s != 200) {
      return s == 401
          ? new Verdict.TokenRejected("Slack: HTTP 401")
          : new Verdict.Permanent("Slack: HTTP " + s);
    }
    Optional<JsonObject> json = r.jsonIfAny();
    if (json.isEmpty()) {
      return new Verdict.Transient("Slack: malformed JSON");
    }
    if (json.get().getBoolean("ok", false)) {
      return Verdict.OK;
    }
    String error = json.get().getString("error", "unknown_error");
    if (TOKEN_ERRORS.contains(error)) {
      return new Verdict.TokenRejected("Slack: " + error);
    }
    if (REVOKED.contains(error)) {
      return new Verdict.GrantRevoked("Slack: " + error);
    }
    if (error.equals("ratelimited")) {
      return new Verdict.RateLimited(Duration.ofSeconds(60), "Slack: ratelimited");
    }
    if (CHANNEL_ERRORS.contains(error)) {
      return Verdict.OK;
    }
    if (error.equals("internal_error") || error.equals("fatal_error") || error.equals("service_unavailable")) {
      return new Verdict.Transient("Slack: " + error);
    }
    return new Verdict.Permanent("Slack: " + error);
  }
}
