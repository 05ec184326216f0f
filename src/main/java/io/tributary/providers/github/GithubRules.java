package io.tributary.providers.github;

import io.tributary.providers.Provider;
import io.tributary.providers.ProviderResponse;
import io.tributary.providers.ResponseRules;
import io.tributary.providers.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * GitHub's signals (PROVIDERS.md, GitHub): 401 bad credentials; primary rate limit as 403 or 429
 * with {@code x-ratelimit-remaining: 0} (wait until {@code x-ratelimit-reset}); secondary limits as
 * 403 or 429 with {@code retry-after}, or without it "wait at least 60 s"; 404 for what the token
 * cannot see.
 */
final class GithubRules implements ResponseRules {
  private final Clock clock;

  GithubRules(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Provider provider() {
    return Provider.GITHUB;
  }

  @Override
  public Verdict classify(ProviderResponse r) {
    int s = r.status();
    if (s >= 200 && s < 300) {
      return Verdict.OK;
    }
    if (s == 401) {
      return new Verdict.TokenRejected("GitHub: bad credentials");
    }
    if (s == 403 || s == 429) {
      Optional<Long> retryAfter = r.longHeader("retry-after");
      if (retryAfter.isPresent()) {
        return new Verdict.RateLimited(
            Duration.ofSeconds(Math.max(1, retryAfter.get())), "GitHub: secondary rate limit");
      }
      if (r.longHeader("x-ratelimit-remaining").orElse(-1L) == 0) {
        long reset = r.longHeader("x-ratelimit-reset").orElse(clock.instant().getEpochSecond() + 60);
        Duration wait = Duration.between(clock.instant(), Instant.ofEpochSecond(reset));
        return new Verdict.RateLimited(
            wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1), "GitHub: rate limit exhausted");
      }
      String body = r.body().toLowerCase(Locale.ROOT);
      if (s == 429 || body.contains("rate limit")) {
        return new Verdict.RateLimited(Duration.ofSeconds(60), "GitHub: secondary rate limit");
      }
      return new Verdict.Permanent("GitHub: forbidden (" + message(r) + ")");
    }
    if (s >= 500) {
      return new Verdict.Transient("GitHub: HTTP " + s);
    }
    return new Verdict.Permanent("GitHub: HTTP " + s + " (" + message(r) + ")");
  }

  private static String message(ProviderResponse r) {
    return r.jsonIfAny()
        .map(j -> j.getString("message", "no message"))
        .map(m -> m.length() > 120 ? m.substring(0, 120) : m)
        .orElse("no message");
  }
}
