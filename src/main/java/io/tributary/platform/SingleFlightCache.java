package io.tributary.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Read-mostly figures (dashboards, the monitoring JSON) made at most once per {@code ttl} for each
 * key and shared by every request in that time; concurrent requests for an expired key wait for one
 * computation instead of each running the same queries. A failed computation is not kept. A value
 * made "in the future" (the clock was set back) counts as expired. A ttl of zero turns it off.
 *
 * <p>While a value is being made again, the other requests get the previous one, if it is not older
 * than {@code ttl} plus {@link #STALE_GRACE}: only the request that found it expired waits for the
 * queries. Without this, every poller arriving during the refresh waited too, once a second, and
 * that wait was the monitoring API's p99 under load. A failed refresh drops the previous value, so
 * an outage shows at once rather than behind old figures.
 */
public final class SingleFlightCache<K, V> {

  /** How much older than {@code ttl} a value may be to be served while its successor is made. */
  public static final Duration STALE_GRACE = Duration.ofSeconds(5);

  private final Clock clock;
  private final Duration ttl;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  /** A value being made or made, and the one it replaces (null when none) with its time. */
  private record Entry<V>(Instant madeAt, CompletableFuture<V> value, V previous, Instant previousMadeAt) {

    /** This entry's value if it was made, else the one it replaces. */
    V latest() {
      return value.isDone() && !value.isCompletedExceptionally() ? value.join() : previous;
    }

    Instant latestMadeAt() {
      return value.isDone() && !value.isCompletedExceptionally() ? madeAt : previousMadeAt;
    }
  }

  public SingleFlightCache(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  public V get(K key, Function<K, V> compute) {
    if (ttl.isZero() || ttl.isNegative()) {
      return compute.apply(key);
    }
    Instant now = clock.instant();
    Entry<V>[] made = newEntryHolder();
    Entry<V> current =
        entries.compute(
            key,
            (k, old) -> {
              if (old != null && fresh(old.madeAt(), now)) {
                return old;
              }
              made[0] =
                  old == null || !servableWhileRemade(old.latestMadeAt(), now)
                      ? new Entry<>(now, new CompletableFuture<>(), null, null)
                      : new Entry<>(now, new CompletableFuture<>(), old.latest(), old.latestMadeAt());
              return made[0];
            });
    if (current == made[0]) {
      try {
        current.value().complete(compute.apply(key));
      } catch (RuntimeException e) {
        entries.remove(key, current); // the next request tries again, with no previous value
        current.value().completeExceptionally(e);
        throw e;
      }
    } else if (!current.value().isDone() && current.previous() != null) {
      return current.previous(); // being made again by another request: the previous value, recent enough
    }
    try {
      return current.value().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Made at {@code madeAt}, within ttl at {@code now}, and not in the future (a clock set back). */
  private boolean fresh(Instant madeAt, Instant now) {
    return madeAt != null && !madeAt.isAfter(now) && now.isBefore(madeAt.plus(ttl));
  }

  /** Recent enough to be served while its successor is made. */
  private boolean servableWhileRemade(Instant madeAt, Instant now) {
    return madeAt != null && !madeAt.isAfter(now) && now.isBefore(madeAt.plus(ttl).plus(STALE_GRACE));
  }

  @SuppressWarnings("unchecked")
  private static <V> Entry<V>[] newEntryHolder() {
    return (Entry<V>[]) new Entry<?>[1];
  }
}
