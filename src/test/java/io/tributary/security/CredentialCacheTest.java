package io.tributary.security;

import io.tributary.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {

  MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  CredentialCache cache = new CredentialCache(clock, Duration.ofSeconds(60), 3);

  private String remember(String user, String password) {
    String key = cache.keyOf(user, password);
    cache.remember(key, user, cache.generation());
    return key;
  }

  @Test
  void anEntryIsFreshUntilItsTtlEndsAndNotAfter() {
    String key = remember("admin", "secret password");
    clock.advance(Duration.ofSeconds(59));
    assertTrue(cache.isFresh(key));
    clock.advance(Duration.ofSeconds(1));
    assertFalse(cache.isFresh(key));
    assertEquals(0, cache.size(), "an expired entry is dropped when found");
  }

  @Test
  void useDoesNotExtendTheTtl() {
    String key = remember("admin", "secret password");
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(11));
      assertTrue(cache.isFresh(key));
    }
    clock.advance(Duration.ofSeconds(5));
    assertFalse(cache.isFresh(key));
  }

  @Test
  void unknownCredentialsAreNotFresh() {
    remember("admin", "secret password");
    assertFalse(cache.isFresh(cache.keyOf("admin", "other password")));
    assertFalse(cache.isFresh(cache.keyOf("other", "secret password")));
  }

  @Test
  void keysHideThePasswordAndSeparateUsernameFromPassword() {
    String key = cache.keyOf("admin", "secret password");
    assertFalse(key.contains("secret"));
    assertEquals(64, key.length(), "hex of HMAC-SHA256");
    assertEquals(key, cache.keyOf("admin", "secret password"));
    assertNotEquals(cache.keyOf("ab", "c"), cache.keyOf("a", "bc"));
    assertNotEquals(
        key,
        new CredentialCache(clock, Duration.ofSeconds(60), 3).keyOf("admin", "secret password"),
        "the HMAC key is random per process");
  }

  @Test
  void forgetDropsEveryEntryOfThatUserOnly() {
    String a1 = remember("alice", "password one");
    String a2 = remember("alice", "password two");
    String b = remember("bob", "password one");
    cache.forget("alice");
    assertFalse(cache.isFresh(a1));
    assertFalse(cache.isFresh(a2));
    assertTrue(cache.isFresh(b));
  }

  @Test
  void aVerificationThatStartedBeforeAForgetIsNotRemembered() {
    long before = cache.generation();
    String key = cache.keyOf("admin", "old password");
    cache.forget("admin"); // the password changed while the old one was being verified
    cache.remember(key, "admin", before);
    assertFalse(cache.isFresh(key));
  }

  @Test
  void whenFullExpiredEntriesGoFirstThenTheOldest() {
    String first = remember("u1", "password");
    clock.advance(Duration.ofSeconds(30));
    String second = remember("u2", "password");
    String third = remember("u3", "password");
    String fourth = remember("u4", "password"); // full: the oldest (first) goes
    assertEquals(3, cache.size());
    assertFalse(cache.isFresh(first));
    assertTrue(cache.isFresh(second) && cache.isFresh(third) && cache.isFresh(fourth));

    clock.advance(Duration.ofSeconds(60)); // second, third and fourth (verified at 30 s) expired
    String fifth = remember("u5", "password");
    assertEquals(1, cache.size(), "expired entries were purged, not just the eldest");
    assertTrue(cache.isFresh(fifth));
  }
}
