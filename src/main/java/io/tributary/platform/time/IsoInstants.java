package io.tributary.platform.time;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants in UTC ({@code 2025-01-31T12:00:00Z}, {@code 2025-01-31T12:00:00.123Z}), read
 * and written without {@code DateTimeFormatter}: the providers send one or two with every record,
 * and the formatter's parse (a field map and a resolver per call) was a twentieth of the sync
 * engine's allocations. The results are exactly {@link Instant#parse} and {@link Instant#toString};
 * any other form (an offset, a leap second, a year beyond 9999) goes to those.
 */
public final class IsoInstants {

  private IsoInstants() {}

  /**
   * As {@link Instant#parse}.
   *
   * @throws DateTimeParseException when the text is not an instant
   */
  public static Instant parse(CharSequence s) {
    int n = s.length();
    // yyyy-MM-ddTHH:mm:ss then an optional .fraction (1-9 digits) then Z
    if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
        && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z') {
      int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
      int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
      int nanos = 0;
      boolean fractionOk = n == 20;
      if (n >= 22 && s.charAt(19) == '.') {
        int f = digits(s, 20, n - 1);
        if (f >= 0) {
          nanos = f;
          for (int i = n - 1 - 20; i < 9; i++) {
            nanos *= 10;
          }
          fractionOk = true;
        }
      }
      if (fractionOk && year >= 0 && month >= 0 && day >= 0 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59
          && second >= 0 && second <= 59) {
        try {
          long days = LocalDate.of(year, month, day).toEpochDay();
          return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
          // not a date (30 February): Instant.parse says so in its own words
        }
      }
    }
    return Instant.parse(s);
  }

  /** As {@link Instant#toString}. */
  public static String format(Instant t) {
    long seconds = t.getEpochSecond();
    long days = Math.floorDiv(seconds, 86_400);
    if (days < MIN_DAY || days > MAX_DAY) {
      return t.toString(); // outside 0000-9999: signed years
    }
    LocalDate date = LocalDate.ofEpochDay(days);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    int nanos = t.getNano();
    char[] c = new char[nanos == 0 ? 20 : nanos % 1_000_000 == 0 ? 24 : nanos % 1_000 == 0 ? 27 : 30];
    put(c, 0, date.getYear(), 4);
    c[4] = '-';
    put(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    put(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    put(c, 11, secondOfDay / 3_600, 2);
    c[13] = ':';
    put(c, 14, secondOfDay / 60 % 60, 2);
    c[16] = ':';
    put(c, 17, secondOfDay % 60, 2);
    if (nanos != 0) {
      // Instant.toString writes the fraction in groups of three digits, as few as it needs
      c[19] = '.';
      int digits = c.length - 21;
      put(c, 20, nanos / POW10[9 - digits], digits);
    }
    c[c.length - 1] = 'Z';
    return new String(c);
  }

  private static final long MIN_DAY = LocalDate.of(0, 1, 1).toEpochDay();
  private static final long MAX_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
  private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

  /** The decimal number in s[from, to), or -1 when it holds anything but ASCII digits. */
  private static int digits(CharSequence s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
