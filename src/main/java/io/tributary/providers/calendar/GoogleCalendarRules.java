package io.tributary.providers.calendar;

import io.tributary.providers.Provider;
import io.tributary.providers.ProviderResponse;
import io.tributary.providers.ResponseRules;
import io.tributary.providers.Verdict;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Duration;

/**
 * Google Calendar's signals (PROVIDERS.md, Google Calendar): 401 authError; quota errors as 403
 * {@code userRateLimitExceeded}/{@code rateLimitExceeded} or 429, with no promised {@code
 * Retry-After} (exponential backoff). 410 (sync token expired) is handed to the client as a normal
 * answer: it restarts with a full sync.
 */
final class GoogleCalendarRules implements ResponseRules {
  @Override
  public Provider provider() {
    return Provider.GOOGLE_CALENDAR;
  }

  @Override
  public Verdict classify(ProviderResponse r) {
    int s = r.status();
    if ((s >= 200 && s < 300) || s == 410) {
      return Verdict.OK;
    }
    if (s == 401) {
      return new Verdict.TokenRejected("Google: invalid credentials");
    }
    String reason = reason(r);
    if (s == 429 || (s == 403 && reason.toLowerCase().contains("ratelimitexceeded"))) {
      // rateLimitExceeded is the project's quota, shared by every user; userRateLimitExceeded is one user's.
      boolean shared = !reason.startsWith("user");
      return new Verdict.RateLimited(
          r.longHeader("retry-after").map(Duration::ofSeconds).orElse(null), "Google: " + reason, shared);
    }
    if (s >= 500) {
      return new Verdict.Transient("Google: HTTP " + s);
    }
    return new Verdict.Permanent("Google: HTTP " + s + (reason.isEmpty() ? "" : " " + reason));
  }

  static String reason(ProviderResponse r) {
    return r.jsonIfAny()
        .map(j -> j.getJsonObject("error"))
        .map(
            e -> {
              JsonArray errors = e.getJsonArray("errors");
              if (errors != null && !errors.isEmpty()) {
                JsonObject first = errors.getJsonObject(0);
                return first.getString("reason", "");
              }
              return e.getString("status", "");
            })
        .orElse("");
  }
}
