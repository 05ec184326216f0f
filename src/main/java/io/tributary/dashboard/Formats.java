package io.tributary.dashboard;

import io.tributary.platform.time.IsoInstants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the pages write times, durations and numbers ({@code #{fmt.ago(x)}}); all times in UTC, as
 * the schedules are. The static methods hold the rules and are unit-tested.
 */
@Named("fmt")
@ApplicationScoped
public class Formats {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Inject Clock clock;

  /** {@code 2025-01-15 10:30:00 UTC}, or a dash. */
  public String time(Instant t) {
    return formatTime(t);
  }

  /** The machine-readable form for {@code <time datetime>}. */
  public String iso(Instant t) {
    return formatIso(t);
  }

  /** {@code 5 min ago}, or {@code never}. */
  public String ago(Instant t) {
    return formatAgo(t, clock.instant());
  }

  public String duration(Long ms) {
    return ms == null ? "—" : formatDuration(ms.longValue());
  }

  /** A value for a URL query. */
  public String url(String s) {
    return s == null ? "" : java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  public String count(long n) {
    return formatCount(n);
  }

  public String percent(Double ratio) {
    return ratio == null ? "—" : formatPercent(ratio.doubleValue());
  }

  static String formatTime(Instant t) {
    return t == null ? "—" : TIME.format(t);
  }

  static String formatIso(Instant t) {
    return t == null ? "" : IsoInstants.format(t);
  }

  /**
   * {@code 1,234,567}: as {@code String.format("%,d")} writes it, without parsing a format string
   * on every call (a table writes one per row).
   */
  static String formatCount(long n) {
    String digits = Long.toString(n);
    int sign = n < 0 ? 1 : 0;
    int length = digits.length() - sign;
    if (length <= 3) {
      return digits;
    }
    StringBuilder out = new StringBuilder(digits.length() + length / 3);
    int first = sign + (length % 3 == 0 ? 3 : length % 3);
    out.append(digits, 0, first);
    for (int i = first; i < digits.length(); i += 3) {
      out.append(',').append(digits, i, i + 3);
    }
    return out.toString();
  }

  static String formatAgo(Instant t, Instant now) {
    if (t == null) {
      return "never";
    }
    long s = Duration.between(t, now).getSeconds();
    if (s < 0) {
      return "in " + span(-s);
    }
    if (s < 10) {
      return "just now";
    }
    return span(s) + " ago";
  }

  private static String span(long s) {
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min";
    }
    if (s < 86_400) {
      long h = s / 3600;
      long m = (s % 3600) / 60;
      return h + " h" + (m == 0 ? "" : " " + m + " min");
    }
    long d = s / 86_400;
    long h = (s % 86_400) / 3600;
    return d + " d" + (h == 0 ? "" : " " + h + " h");
  }

  /** {@code 850 ms}, {@code 12.5 s}, {@code 3 min 4 s}, {@code 1 h 2 min}. */
  static String formatDuration(long ms) {
    if (ms < 0) {
      return "—";
    }
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
    }
    return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + ((s % 3600) / 60) + " min");
  }

  /** {@code 97.9 %} (one decimal, never rounded up to 100 % unless it is 100 %). */
  static String formatPercent(double ratio) {
    if (Double.isNaN(ratio)) {
      return "—";
    }
    double p = Math.floor(ratio * 1000) / 10;
    return (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + " %";
  }
}
