package io.tributary.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recently verified admin credentials, so that an API client sending HTTP Basic on every call pays
 * for PBKDF2 once a minute instead of on every request.
 *
 * <p>What is stored is not the password but HMAC-SHA256 over {@code username NUL password} under a
 * random key that exists only in this process's memory, mapped to an expiry time. Entries live for
 * {@link #DEFAULT_TTL} (60 s) from their verification and are never extended by use: a password
 * changed or an admin removed on <em>another</em> instance stops working here within 60 s; on this
 * instance {@link #forget} drops the entries at once. Only successes are cached. At most {@link
 * #DEFAULT_MAX_ENTRIES} entries are kept; when full, expired entries go first, then the oldest.
 *
 * <p>{@link #generation()} guards against a race: a verification that read the old password hash
 * just before a change was committed must not re-insert its result after {@link #forget} ran.
 */
final class CredentialCache {

  static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
  static final int DEFAULT_MAX_ENTRIES = 1000;

  private record Entry(String username, Instant expiresAt) {}

  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final SecretKeySpec key;
  // Insertion order = verification order, so the eldest entry is the one that expires first.
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private long generation;

  CredentialCache(Clock clock, Duration ttl, int maxEntries) {
    if (ttl.isNegative() || ttl.isZero() || maxEntries < 1) {
      throw new IllegalArgumentException("ttl must be positive and maxEntries at least 1");
    }
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
  }

  /** The cache key of a credential: a keyed hash, so the password itself is never held here. */
  String keyOf(String username, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(username.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** Whether this credential was verified less than the TTL ago (and not forgotten since). */
  synchronized boolean isFresh(String cacheKey) {
    Entry e = entries.get(cacheKey);
    if (e == null) {
      return false;
    }
    if (!clock.instant().isBefore(e.expiresAt())) {
      entries.remove(cacheKey);
      return false;
    }
    return true;
  }

  /** Read before verifying against the database; pass it to {@link #remember}. */
  synchronized long generation() {
    return generation;
  }

  /**
   * Records a successful verification, unless {@link #forget} ran since {@code generationBefore}
   * was read (the verification may then have used a password that is no longer valid).
   */
  synchronized void remember(String cacheKey, String username, long generationBefore) {
    if (generationBefore != generation) {
      return;
    }
    entries.remove(cacheKey);
    if (entries.size() >= maxEntries) {
      Instant now = clock.instant();
      entries.values().removeIf(e -> !now.isBefore(e.expiresAt()));
    }
    Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
    while (entries.size() >= maxEntries && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
    entries.put(cacheKey, new Entry(username, clock.instant().plus(ttl)));
  }

  /** Drops every cached credential of {@code username}: its password changed or it was removed. */
  synchronized void forget(String username) {
    generation++;
    entries.values().removeIf(e -> e.username().equals(username));
  }

  synchronized int size() {
    return entries.size();
  }
}
