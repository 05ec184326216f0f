package io.tributary.providers;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * One request budget per provider for limits that many connections share (Google's per-project
 * quota, Notion's per-integration rate, Slack's per-app limits): a token bucket whose rate comes from
 * {@code <prefix>.rate.limit.per.second} (0 = no shared limit), paused whenever a provider signals
 * that the shared limit is spent. Waiting callers are served in arrival order, so the budget is
 * shared fairly across users; a caller that would wait longer than its bound is deferred (its
 * connection retried later) instead of failed.
 *
 * <p>Per instance: with several instances, give each its share of the provider's limit.
 */
@ApplicationScoped
public class RateBudgets {

  @Inject Config config;
  @Inject Clock clock;

  private final Map<Provider, Bucket> buckets = new EnumMap<>(Provider.class);

  public RateBudgets() {}

  /** For tests and tools: fixed rates, a given clock. */
  public RateBudgets(Map<Provider, Double> ratesPerSecond, Clock clock) {
    this.clock = clock;
    ratesPerSecond.forEach((p, r) -> buckets.put(p, new Bucket(r)));
  }

  @PostConstruct
  void init() {
    for (Provider p : Provider.values()) {
      double defaultRate = p == Provider.GOOGLE_CALENDAR ? 150 : 0; // Google: 10,000/min per project
      double rate = config.getOptionalValue(p.configPrefix() + ".rate.limit.per.second", Double.class).orElse(defaultRate);
      if (rate < 0) {
        throw new IllegalStateException(p.configPrefix() + ".rate.limit.per.second must be 0 or more");
      }
      buckets.put(p, new Bucket(rate));
    }
  }

  /**
   * Reserves one request of the provider's shared budget.
   *
   * @return how long to wait before sending (zero when a permit is free)
   * @throws ProviderException RATE_LIMITED when the wait would exceed {@code maxWait}
   */
  public Duration reserve(Provider provider, Duration maxWait) {
    Bucket b = buckets.get(provider);
    return b == null ? Duration.ZERO : b.reserve(clock.instant(), maxWait, provider);
  }

  /** A provider said its shared limit is spent: nobody sends to it before {@code until}. */
  public void pause(Provider provider, Instant until) {
    Bucket b = buckets.get(provider);
    if (b != null) {
      b.pause(until);
    }
  }

  /** A token bucket as a "next free slot" schedule: each reservation takes the next 1/rate slot. */
  static final class Bucket {
    private final double ratePerSecond;
    private Instant nextFree = Instant.EPOCH;
    private Instant pausedUntil = Instant.EPOCH;

    Bucket(double ratePerSecond) {
      this.ratePerSecond = ratePerSecond;
    }

    synchronized Duration reserve(Instant now, Duration maxWait, Provider provider) {
      // GCRA: each request takes the next 1/rate slot; up to one second's worth may be taken at once
      // after idleness (the burst), never more.
      Instant slot = now;
      if (ratePerSecond > 0) {
        Instant burstFloor = now.minusSeconds(1);
        slot = nextFree.isAfter(burstFloor) ? nextFree : burstFloor;
        if (slot.isBefore(now.minusSeconds(1))) {
          slot = now.minusSeconds(1);
        }
      }
      if (pausedUntil.isAfter(slot)) {
        slot = pausedUntil;
      }
      Duration wait = slot.isAfter(now) ? Duration.between(now, slot) : Duration.ZERO;
      if (wait.compareTo(maxWait) > 0) {
        throw ProviderException.rateLimited(provider.id() + ": shared request budget spent", slot);
      }
      if (ratePerSecond > 0) {
        nextFree = slot.plusNanos((long) (1_000_000_000L / ratePerSecond));
      }
      return wait;
    }

    synchronized void pause(Instant until) {
      if (until.isAfter(pausedUntil)) {
        pausedUntil = until;
      }
    }
  }
}
