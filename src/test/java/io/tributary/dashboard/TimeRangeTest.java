package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The monitoring page's time ranges and chart buckets. */
class TimeRangeTest {

  final Instant now = Instant.parse("2025-01-15T10:37:12Z");

  @Test
  void parsesTheThreeRangesAndDefaultsTo24Hours() {
    assertEquals(TimeRange.HOUR, TimeRange.parse("1h"));
    assertEquals(TimeRange.DAY, TimeRange.parse("24h"));
    assertEquals(TimeRange.WEEK, TimeRange.parse(" 7d "));
    assertEquals(TimeRange.DAY, TimeRange.parse(null));
    assertEquals(TimeRange.DAY, TimeRange.parse("168"));
    assertEquals(168, TimeRange.WEEK.hours());
  }

  @Test
  void bucketsCoverTheRangeAlignedToTheirSize() {
    assertEquals(12, TimeRange.HOUR.buckets());
    assertEquals(24, TimeRange.DAY.buckets());
    assertEquals(28, TimeRange.WEEK.buckets());
    assertEquals(Instant.parse("2025-01-15T10:40:00Z"), TimeRange.HOUR.chartEnd(now));
    assertEquals(Instant.parse("2025-01-15T09:40:00Z"), TimeRange.HOUR.chartStart(now));
    assertEquals(Instant.parse("2025-01-15T11:00:00Z"), TimeRange.DAY.chartEnd(now));
    assertEquals(Instant.parse("2025-01-14T11:00:00Z"), TimeRange.DAY.chartStart(now));
    assertEquals(Instant.parse("2025-01-15T12:00:00Z"), TimeRange.WEEK.chartEnd(now));
    assertEquals(Duration.ofDays(7), Duration.between(TimeRange.WEEK.chartStart(now), TimeRange.WEEK.chartEnd(now)));
  }

  @Test
  void eachInstantFallsInOneBucket() {
    assertEquals(11, TimeRange.HOUR.bucketOf(now, now), "now is in the last bucket");
    assertEquals(0, TimeRange.HOUR.bucketOf(Instant.parse("2025-01-15T09:40:00Z"), now));
    assertEquals(0, TimeRange.HOUR.bucketOf(Instant.parse("2025-01-15T09:44:59Z"), now));
    assertEquals(1, TimeRange.HOUR.bucketOf(Instant.parse("2025-01-15T09:45:00Z"), now));
    assertEquals(-1, TimeRange.HOUR.bucketOf(Instant.parse("2025-01-15T09:39:59Z"), now));
    assertEquals(-1, TimeRange.HOUR.bucketOf(Instant.parse("2025-01-15T10:40:00Z"), now));
    assertEquals(Instant.parse("2025-01-15T09:45:00Z"), TimeRange.HOUR.bucketStart(1, now));
  }

  @Test
  void theFiguresWindowIsTheRangeEndingNow() {
    assertEquals(Instant.parse("2025-01-15T09:37:12Z"), TimeRange.HOUR.since(now));
    assertEquals(Instant.parse("2025-01-08T10:37:12Z"), TimeRange.WEEK.since(now));
  }
}
