package io.tributary.providers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one way the four provider clients talk HTTP: timeouts, retries with backoff and jitter,
 * rate-limit waits (or deferral), and "401 → refresh once → retry" live here, so each client only
 * builds requests and maps JSON. Each provider's {@link ResponseRules} says what its answers mean.
 */
@ApplicationScoped
public class ProviderHttp {

  private ProviderTransport transport;
  private RetryPolicy policy;
  private Sleeper sleeper;
  @Inject RateBudgets budgets;
  @Inject jakarta.enterprise.event.Event<ProviderEvents.RateLimitWaited> waited;

  @Inject
  @ConfigProperty(name = "provider.http.connect.timeout.ms", defaultValue = "5000")
  long connectTimeoutMs;

  @Inject
  @ConfigProperty(name = "provider.http.read.timeout.ms", defaultValue = "30000")
  long readTimeoutMs;

  @Inject
  @ConfigProperty(name = "provider.retry.max", defaultValue = "3")
  int maxRetries;

  @Inject
  @ConfigProperty(name = "provider.retry.base.ms", defaultValue = "500")
  long retryBaseMs;

  @Inject
  @ConfigProperty(name = "provider.ratelimit.max.wait.seconds", defaultValue = "30")
  long maxRateLimitWaitSeconds;

  public ProviderHttp() {}

  /** For tests and tools outside the container. */
  public ProviderHttp(ProviderTransport transport, RetryPolicy policy, Sleeper sleeper, RateBudgets budgets) {
    this.transport = transport;
    this.policy = policy;
    this.sleeper = sleeper;
    this.budgets = budgets;
  }

  @jakarta.annotation.PostConstruct
  void init() {
    if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
      // The JDK's HTTP client completes every sendAsync on CompletableFuture's default executor,
      // which is a new thread per task when the common pool has a parallelism of 1 (1-2 cores).
      java.util.logging.Logger.getLogger(ProviderHttp.class.getName()).warning(
          "The JDK's common pool has a parallelism of " + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism()
              + ": the HTTP client starts a thread for every provider call. Start the JVM with"
              + " -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 (README, Deploying).");
    }
    transport = new ProviderTransport(Duration.ofMillis(connectTimeoutMs), Duration.ofMillis(readTimeoutMs));
    policy =
        new RetryPolicy(
            maxRetries,
            Duration.ofMillis(retryBaseMs),
            Duration.ofMillis(Math.max(retryBaseMs, 8000)),
            Duration.ofSeconds(maxRateLimitWaitSeconds),
            3);
    sleeper = Sleeper.REAL;
  }

  public RetryPolicy policy() {
    return policy;
  }

  /**
   * Sends an authenticated API request for a sync and parses the answer, reacting to each verdict of
   * {@code rules}. Parsing happens inside the retry loop: a malformed body is retried like a 5xx.
   */
  public <T> T call(
      SyncSession session,
      ResponseRules rules,
      ProviderRequest request,
      Function<ProviderResponse, T> parse) {
    int failures = 0;
    int rateLimitWaits = 0;
    boolean refreshed = false;
    String lastReason = "no attempt";
    while (true) {
      Instant now = session.clock().instant();
      Duration remaining = session.remaining();
      if (remaining.isNegative() || remaining.isZero()) {
        throw ProviderException.transientFailure("sync timed out (" + lastReason + ")");
      }
      // The provider's shared budget first: wait for a permit, or defer when it is too far away.
      Duration budgetWait =
          budgets.reserve(rules.provider(), min(policy.maxRateLimitWait(), remaining));
      if (!budgetWait.isZero()) {
        rateLimitPause(rules.provider(), budgetWait);
      }
      String token = session.accessToken();
      Verdict verdict;
      ProviderResponse response = null;
      try {
        session.countCall();
        response = send(request, token);
        verdict = rules.classify(response);
      } catch (IOException e) {
        verdict = new Verdict.Transient(describe(e));
      }
      if (verdict instanceof Verdict.Ok) {
        try {
          return parse.apply(response);
        } catch (ProviderException e) {
          if (e.kind() != ProviderException.Kind.TRANSIENT) {
            throw e;
          }
          verdict = new Verdict.Transient(e.getMessage());
        }
      }
      if (verdict instanceof Verdict.TokenRejected t) {
        if (refreshed || !session.canRefresh()) {
          throw ProviderException.reauth(
              refreshed
                  ? "token rejected even after refresh (" + t.reason() + ")"
                  : "token rejected and no refresh token on file (" + t.reason() + ")");
        }
        session.refreshAccessToken(token);
        refreshed = true;
      } else if (verdict instanceof Verdict.GrantRevoked g) {
        throw ProviderException.reauth(g.reason());
      } else if (verdict instanceof Verdict.Permanent p) {
        throw ProviderException.permanent(p.reason());
      } else if (verdict instanceof Verdict.RateLimited r) {
        rateLimitWaits++;
        Duration wait = r.retryAfter() != null ? r.retryAfter() : policy.backoff(rateLimitWaits + 1);
        Instant retryAt = now.plus(wait);
        if (r.shared()) {
          budgets.pause(rules.provider(), retryAt);
        }
        if (wait.compareTo(policy.maxRateLimitWait()) > 0
            || rateLimitWaits > policy.maxRateLimitWaits()
            || wait.compareTo(remaining) > 0) {
          throw ProviderException.rateLimited(r.reason(), retryAt);
        }
        rateLimitPause(rules.provider(), wait);
      } else if (verdict instanceof Verdict.Transient t) {
        failures++;
        lastReason = t.reason();
        if (failures > policy.maxRetries()) {
          throw ProviderException.transientFailure(t.reason() + " after " + failures + " attempts");
        }
        pause(policy.backoff(failures));
      }
    }
  }

  /**
   * Sends a request to a token endpoint (client credentials in the request itself). One retry on a
   * connection failure or 5xx only: a refresh whose answer was lost may already have rotated the
   * refresh token, and repeating it then would look like a revoked grant.
   */
  public ProviderResponse sendTokenRequest(ProviderRequest request) {
    for (int attempt = 1; ; attempt++) {
      try {
        ProviderResponse r = send(request, null);
        if (r.status() >= 500 && attempt < 2) {
          pause(policy.backoff(1));
          continue;
        }
        return r;
      } catch (IOException e) {
        if (attempt >= 2 || !(e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException)) {
          throw ProviderException.transientFailure("token endpoint unreachable: " + describe(e));
        }
        pause(policy.backoff(1));
      }
    }
  }

  private ProviderResponse send(ProviderRequest request, String bearer) throws IOException {
    return transport.send(request, bearer);
  }

  private void rateLimitPause(Provider provider, Duration wait) {
    if (waited != null) {
      waited.fire(new ProviderEvents.RateLimitWaited(provider, wait));
    }
    pause(wait);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void pause(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderException.transientFailure("interrupted while waiting to retry");
    }
  }

  private static String describe(IOException e) {
    Throwable c = e instanceof java.net.ConnectException || e.getCause() == null ? e : e.getCause();
    if (e instanceof java.net.http.HttpTimeoutException || c instanceof java.net.SocketTimeoutException) {
      return "timeout";
    }
    if (c instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return c.getClass().getSimpleName();
  }
}
