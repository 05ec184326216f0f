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
 */
public final class SingleFlightCache<K, V> {

  private final Clock clock;
  private final Duration ttl;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  private record Entry<V>(Instant madeAt, CompletableFuture<V> value) {}

  public SingleFlightCache(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  public V get(K key, Function<K, V> compute) {
    if (ttl.isZero() || ttl.isNegative()) {
      return compute.apply(key);
    }
    Instant now = clock.instant();
    Entry<V> mine = new Entry<>(now, new CompletableFuture<>());
    Entry<V> current =
        entries.compute(key, (k, old) -> old != null && now.isBefore(old.madeAt().plus(ttl)) && !old.madeAt().isAfter(now) ? old : mine);
    if (current == mine) {
      try {
        mine.value().complete(compute.apply(key));
      } catch (RuntimeException e) {
        entries.remove(key, mine); // the next request tries again
        mine.value().completeExceptionally(e);
        throw e;
      }
    }
    try {
      return current.value().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
