package io.tributary.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The arithmetic behind generated mode: every item, count and choice is a hash of the account id
 * and the request's cursor, so a million accounts cost no memory and the same request always gets
 * the same answer.
 */
final class GeneratedFeed {
  /** Full-sync items are dated before this instant, newest first, one minute apart. */
  static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");

  private GeneratedFeed() {}

  /** A 64-bit FNV-1a hash of the parts, finished with the SplitMix64 mixer. */
  static long hash(String... parts) {
    long h = 0xcbf29ce484222325L;
    for (String part : parts) {
      for (int i = 0; i < part.length(); i++) {
        h ^= part.charAt(i);
        h *= 0x100000001b3L;
      }
      h ^= 0x1f;
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  /** How many items an incremental request with this cursor returns: 0..changedMax. */
  static int changedCount(GeneratedData shape, String accountId, String cursor) {
    return (int) Math.floorMod(hash(accountId, "changed", cursor), (long) shape.changedMax() + 1);
  }

  /** Whether an incremental request with this cursor behaves as a full sync. */
  static boolean forcedFullSync(GeneratedData shape, String accountId, String cursor) {
    return Math.floorMod(hash(accountId, "full", cursor), 100L) < shape.fullSyncPercent();
  }

  /** The item index at position {@code p} of a listing: a rotation, so positions never repeat. */
  static int itemIndex(GeneratedData shape, String accountId, String cursor, int p) {
    int total = shape.totalItems();
    return (int)
        Math.floorMod(
            Math.floorMod(hash(accountId, "start", cursor), (long) total) + p, (long) total);
  }

  /** A short lower-case hex tag of the account, for ids. */
  static String tag(String accountId) {
    return Long.toHexString(hash(accountId, "tag") & 0xffffffffffL);
  }

  static String encodeCursor(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes an opaque cursor; null when it is not one of ours. */
  static String decodeCursor(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
