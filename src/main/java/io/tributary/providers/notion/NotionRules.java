package io.tributary.providers.notion;

import io.tributary.providers.Provider;
import io.tributary.providers.ProviderResponse;
import io.tributary.providers.ResponseRules;
import io.tributary.providers.Verdict;
import java.time.Duration;

/**
 * Notion's signals (PROVIDERS.md, Notion): errors are {@code {"object":"error","status","code"}};
 * 401 unauthorized; 429 rate_limited with {@code Retry-After} (may exceed a minute, then the
 * connection is deferred); 503/529 overload and 409 conflicts are transient.
 */
final class NotionRules implements ResponseRules {
  @Override
  public Provider provider() {
    return Provider.NOTION;
  }

  @Override
  public Verdict classify(ProviderResponse r) {
    int s = r.status();
    if (s >= 200 && s < 300) {
      return Verdict.OK;
    }
    String code = r.jsonIfAny().map(j -> j.getString("code", "")).orElse("");
    if (s == 401) {
      return new Verdict.TokenRejected("Notion: " + (code.isEmpty() ? "unauthorized" : code));
    }
    if (s == 429) {
      return new Verdict.RateLimited(
          r.longHeader("retry-after").map(Duration::ofSeconds).orElse(null), "Notion: rate_limited", true);
    }
    if (s == 409 || s >= 500) {
      return new Verdict.Transient("Notion: HTTP " + s + (code.isEmpty() ? "" : " " + code));
    }
    return new Verdict.Permanent("Notion: HTTP " + s + (code.isEmpty() ? "" : " " + code));
  }
}
