package io.tributary.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The monitoring page's time ranges ({@code ?range=1h|24h|7d}) and how each is cut into chart
 * buckets: aligned to the bucket size (so a bucket's figures do not shift between refreshes), the
 * last bucket holding now.
 */
public enum TimeRange {
  HOUR("1h", "1 hour", Duration.ofHours(1), Duration.ofMinutes(5)),
  DAY("24h", "24 hours", Duration.ofHours(24), Duration.ofHours(1)),
  WEEK("7d", "7 days", Duration.ofDays(7), Duration.ofHours(6));

  public static final TimeRange DEFAULT = DAY;

  private final String id;
  private final String label;
  private final Duration length;
  private final Duration bucket;

  TimeRange(String id, String label, Duration length, Duration bucket) {
    this.id = id;
    this.label = label;
    this.length = length;
    this.bucket = bucket;
  }

  public String id() {
    return id;
  }

  public String label() {
    return label;
  }

  public Duration length() {
    return length;
  }

  public Duration bucket() {
    return bucket;
  }

  public int hours() {
    return (int) length.toHours();
  }

  public int buckets() {
    return (int) (length.toMillis() / bucket.toMillis());
  }

  /** The parameter's range, or the default for anything else. */
  public static TimeRange parse(String id) {
    return fromId(id).orElse(DEFAULT);
  }

  public static Optional<TimeRange> fromId(String id) {
    return Arrays.stream(values()).filter(r -> r.id.equals(id == null ? null : id.strip())).findFirst();
  }

  /** The start of the range's window ending now: what the figures count. */
  public Instant since(Instant now) {
    return now.minus(length);
  }

  /** The end of the last chart bucket: {@code now} rounded up to the bucket size. */
  public Instant chartEnd(Instant now) {
    long size = bucket.toMillis();
    long ms = now.toEpochMilli();
    long end = Math.floorDiv(ms, size) * size + size;
    return Instant.ofEpochMilli(end);
  }

  /** The start of the first chart bucket. */
  public Instant chartStart(Instant now) {
    return chartEnd(now).minus(bucket.multipliedBy(buckets()));
  }

  /** Which chart bucket {@code t} falls in (0 = oldest), or -1 outside the chart. */
  public int bucketOf(Instant t, Instant now) {
    Instant start = chartStart(now);
    if (t.isBefore(start) || !t.isBefore(chartEnd(now))) {
      return -1;
    }
    return (int) (Duration.between(start, t).toMillis() / bucket.toMillis());
  }

  /** The start of chart bucket {@code i}. */
  public Instant bucketStart(int i, Instant now) {
    return chartStart(now).plus(bucket.multipliedBy(i));
  }
}
