package io.tributary.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Random;

/**
 * Failures one provider's API answers with, for tests of retries, backoff, rate-limit waits and
 * re-authentication. They apply to API calls, never to the OAuth token and authorize endpoints
 * (except {@link #tokenEndpointDown}), and are decided before the token is checked.
 *
 * <p>The "next n" faults queue up in the order they are configured: {@code failNext(1, 500)} then
 * {@code rateLimitNext(1, 5)} answers the next call with 500 and the one after with a rate limit.
 * Random faults use a seeded {@link Random}, so a run is reproducible ({@link #setSeed}).
 *
 * <p>Thread-safe: every method locks this object.
 */
public final class Faults {
  enum Kind {
    NONE,
    DOWN,
    TIMEOUT,
    FAIL,
    RATE_LIMIT,
    SECONDARY_RATE_LIMIT,
    UNAUTHORIZED,
    MALFORMED
  }

  /** What one API call gets. {@code status} is for FAIL, {@code retryAfterSeconds} for limits. */
  record Decision(Kind kind, int status, int retryAfterSeconds) {
    static final Decision NONE = new Decision(Kind.NONE, 0, 0);
  }

  /** A run of identical scripted faults, so {@code failNext(1_000_000, 500)} costs nothing. */
  private static final class Run {
    final Decision decision;
    int remaining;

    Run(Decision decision, int remaining) {
      this.decision = decision;
      this.remaining = remaining;
    }
  }

  private static final int[] RANDOM_5XX = {500, 502, 503};

  private final Deque<Run> scripted = new ArrayDeque<>();
  private final Random random = new Random(42);
  private Duration latency = Duration.ZERO;
  private double errorRate;
  private double timeoutRate;
  private boolean down;
  private boolean syncTokenExpired;
  private boolean tokenEndpointDown;
  private boolean slackHistoryLimits;
  private boolean shortPages;

  Faults() {}

  /** Every API call waits this long before it is answered. */
  public synchronized Faults latency(Duration perRequest) {
    Objects.requireNonNull(perRequest, "perRequest");
    if (perRequest.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    latency = perRequest;
    return this;
  }

  /** The next {@code n} API calls answer {@code httpStatus} with the provider's error JSON. */
  public synchronized Faults failNext(int n, int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("httpStatus must be 400..599, was " + httpStatus);
    }
    return script(n, new Decision(Kind.FAIL, httpStatus, 0));
  }

  /** This fraction of API calls answers a random 500, 502 or 503. */
  public synchronized Faults errorRate(double fraction5xx) {
    errorRate = fraction(fraction5xx);
    return this;
  }

  /** The next {@code n} API calls hang for 60 s (or until the simulator closes) unanswered. */
  public synchronized Faults timeoutNext(int n) {
    return script(n, new Decision(Kind.TIMEOUT, 0, 0));
  }

  /** This fraction of API calls hangs like {@link #timeoutNext}. */
  public synchronized Faults timeoutRate(double fraction) {
    timeoutRate = fraction(fraction);
    return this;
  }

  /**
   * The next {@code n} API calls answer the provider's rate-limit response: GitHub 403 with {@code
   * x-ratelimit-remaining: 0} and {@code x-ratelimit-reset} = now + retryAfter (the primary limit);
   * Notion 429 {@code rate_limited} with {@code Retry-After}; Slack HTTP 429 with {@code
   * Retry-After}; Google 403 {@code rateLimitExceeded}, 429 {@code rateLimitExceeded} and 403
   * {@code userRateLimitExceeded} in turn, without {@code Retry-After} (Google promises none).
   */
  public synchronized Faults rateLimitNext(int n, int retryAfterSeconds) {
    return script(n, new Decision(Kind.RATE_LIMIT, 0, nonNegative(retryAfterSeconds)));
  }

  /**
   * GitHub's secondary rate limit for the next {@code n} API calls: 429 with {@code retry-after}
   * while {@code x-ratelimit-remaining} stays above 0. Other providers answer as {@link
   * #rateLimitNext}.
   */
  public synchronized Faults secondaryRateLimitNext(int n, int retryAfterSeconds) {
    return script(n, new Decision(Kind.SECONDARY_RATE_LIMIT, 0, nonNegative(retryAfterSeconds)));
  }

  /** The next {@code n} API calls answer 200 with a truncated, invalid JSON body. */
  public synchronized Faults malformedNext(int n) {
    return script(n, new Decision(Kind.MALFORMED, 0, 0));
  }

  /** The next {@code n} API calls answer the provider's 401 (Slack: 200 {@code invalid_auth}). */
  public synchronized Faults unauthorizedNext(int n) {
    return script(n, new Decision(Kind.UNAUTHORIZED, 0, 0));
  }

  /** While down, every API call answers 503 (Slack too: HTTP 503). */
  public synchronized Faults down(boolean down) {
    this.down = down;
    return this;
  }

  /** Google: while on, any request with a {@code syncToken} answers 410 fullSyncRequired. */
  public synchronized Faults syncTokenExpired(boolean expired) {
    syncTokenExpired = expired;
    return this;
  }

  /** While on, the provider's OAuth token endpoint answers 503. */
  public synchronized Faults tokenEndpointDown(boolean down) {
    tokenEndpointDown = down;
    return this;
  }

  /**
   * Slack: applies the limits Slack puts on {@code conversations.history} for apps outside the
   * Slack Marketplace (PROVIDERS.md): one call per minute per account by the {@link SimClock} (HTTP
   * 429 with {@code Retry-After} otherwise) and at most 15 messages a page.
   */
  public synchronized Faults slackHistoryLimits(boolean on) {
    slackHistoryLimits = on;
    return this;
  }

  /**
   * Google: listings come in short pages, the first one empty, with {@code nextPageToken} saying
   * more follow, as Google's may (PROVIDERS.md: "trust nextPageToken").
   */
  public synchronized Faults shortPages(boolean on) {
    shortPages = on;
    return this;
  }

  /** Removes every fault and the latency (the random seed is kept). */
  public synchronized Faults clear() {
    scripted.clear();
    latency = Duration.ZERO;
    errorRate = 0;
    timeoutRate = 0;
    down = false;
    syncTokenExpired = false;
    tokenEndpointDown = false;
    slackHistoryLimits = false;
    shortPages = false;
    return this;
  }

  /** Reseeds the random faults. */
  public synchronized Faults setSeed(long seed) {
    random.setSeed(seed);
    return this;
  }

  synchronized Duration latency() {
    return latency;
  }

  synchronized boolean syncTokenExpired() {
    return syncTokenExpired;
  }

  synchronized boolean tokenEndpointDown() {
    return tokenEndpointDown;
  }

  synchronized boolean slackHistoryLimits() {
    return slackHistoryLimits;
  }

  synchronized boolean shortPages() {
    return shortPages;
  }

  /** Decides the fault for one API call, consuming a scripted one if queued. */
  synchronized Decision decide() {
    if (down) {
      return new Decision(Kind.DOWN, 503, 0);
    }
    Run run = scripted.peekFirst();
    if (run != null) {
      if (--run.remaining == 0) {
        scripted.removeFirst();
      }
      return run.decision;
    }
    if (timeoutRate > 0 && random.nextDouble() < timeoutRate) {
      return new Decision(Kind.TIMEOUT, 0, 0);
    }
    if (errorRate > 0 && random.nextDouble() < errorRate) {
      return new Decision(Kind.FAIL, RANDOM_5XX[random.nextInt(RANDOM_5XX.length)], 0);
    }
    return Decision.NONE;
  }

  private Faults script(int n, Decision decision) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, was " + n);
    }
    if (n > 0) {
      scripted.addLast(new Run(decision, n));
    }
    return this;
  }

  private static double fraction(double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("fraction must be 0..1, was " + value);
    }
    return value;
  }

  private static int nonNegative(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must not be negative");
    }
    return seconds;
  }
}
