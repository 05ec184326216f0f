package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the pages write times, durations and rates. */
class FormatsTest {

  final Instant now = Instant.parse("2025-01-15T10:00:00Z");

  @Test
  void relativeTimes() {
    assertEquals("never", Formats.formatAgo(null, now));
    assertEquals("just now", Formats.formatAgo(now.minusSeconds(3), now));
    assertEquals("42 s ago", Formats.formatAgo(now.minusSeconds(42), now));
    assertEquals("5 min ago", Formats.formatAgo(now.minusSeconds(5 * 60 + 20), now));
    assertEquals("2 h 5 min ago", Formats.formatAgo(now.minusSeconds(2 * 3600 + 300), now));
    assertEquals("3 d 1 h ago", Formats.formatAgo(now.minusSeconds(3 * 86400 + 3600), now));
    assertEquals("in 2 min", Formats.formatAgo(now.plusSeconds(120), now));
  }

  @Test
  void countsAreGroupedByThousandsAsStringFormatWouldWriteThem() {
    assertEquals("0", Formats.formatCount(0));
    assertEquals("999", Formats.formatCount(999));
    assertEquals("1,000", Formats.formatCount(1000));
    assertEquals("-1,000", Formats.formatCount(-1000));
    assertEquals("-999", Formats.formatCount(-999));
    assertEquals("1,234,567", Formats.formatCount(1_234_567));
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    long[] edges = {Long.MAX_VALUE, Long.MIN_VALUE, 100_000, -100_000, 10_000, 12_345_678_901L};
    for (long n : edges) {
      assertEquals(String.format(java.util.Locale.ROOT, "%,d", n), Formats.formatCount(n));
    }
    for (int i = 0; i < 10_000; i++) {
      long n = random.nextLong() >> random.nextInt(64);
      assertEquals(String.format(java.util.Locale.ROOT, "%,d", n), Formats.formatCount(n), "for " + n);
    }
  }

  @Test
  void durations() {
    assertEquals("850 ms", Formats.formatDuration(850));
    assertEquals("12.5 s", Formats.formatDuration(12_500));
    assertEquals("3 min 4 s", Formats.formatDuration(184_000));
    assertEquals("5 min", Formats.formatDuration(300_000));
    assertEquals("1 h 2 min", Formats.formatDuration(3_720_000));
    assertEquals("—", Formats.formatDuration(-1));
  }

  @Test
  void ratesAreNeverRoundedUpToAPerfectScore() {
    assertEquals("100 %", Formats.formatPercent(1.0));
    assertEquals("99.9 %", Formats.formatPercent(0.9999));
    assertEquals("97.9 %", Formats.formatPercent(0.979));
    assertEquals("0 %", Formats.formatPercent(0));
    assertEquals("—", Formats.formatPercent(Double.NaN));
  }

  @Test
  void absoluteTimesAreUtc() {
    Formats f = new Formats();
    assertEquals("2025-01-15 10:00:00 UTC", f.time(now));
    assertEquals("—", f.time(null));
    assertEquals("2025-01-15T10:00:00Z", f.iso(now));
    assertEquals("1,234,567", f.count(1_234_567));
    assertEquals("a%26b+c", f.url("a&b c"));
  }
}
