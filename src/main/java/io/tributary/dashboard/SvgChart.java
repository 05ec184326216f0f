package io.tributary.dashboard;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small line chart as inline SVG, rendered on the server: no script, no chart library, no CDN, so
 * it works offline and under a CSP without {@code 'unsafe-inline'} (SVG presentation attributes
 * such as {@code stroke} are not styles). One line per series over evenly spaced buckets; a missing
 * value (nothing happened in that bucket) leaves a gap. Series differ by colour <em>and</em> dash
 * pattern, and the chart carries a title and a description for screen readers; the page also shows
 * the figures as a table.
 */
public final class SvgChart {
  private SvgChart() {}

  /** One line: {@code key} picks its colour and dash (a provider id), {@code values} one per bucket. */
  public record Series(String key, String label, List<Double> values) {}

  /** The y axis: a ratio shown as 0–100 %, or milliseconds from 0 to a round maximum. */
  public enum Scale {
    RATE,
    DURATION
  }

  static final int WIDTH = 640;
  static final int HEIGHT = 250;
  static final int LEFT = 60;
  static final int RIGHT = 16;
  static final int TOP = 12;
  static final int PLOT_HEIGHT = 160;
  static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;

  /**
   * The chart's SVG markup.
   *
   * @param id unique on the page (for the title and description ids)
   * @param xLabels one per bucket (some are shown)
   */
  public static String render(
      String id, String title, String description, Scale scale, List<String> xLabels, List<Series> series) {
    int n = xLabels.size();
    double max = scale == Scale.RATE ? 1.0 : niceMax(maxOf(series));
    DoubleFunction<String> tick =
        scale == Scale.RATE ? v -> Math.round(v * 100) + " %" : v -> Formats.formatDuration(Math.round(v));
    StringBuilder s = new StringBuilder(4096);
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" focusable=\"false\" aria-labelledby=\"")
        .append(escape(id)).append("-title ").append(escape(id)).append("-desc\">");
    s.append("<title id=\"").append(escape(id)).append("-title\">").append(escape(title)).append("</title>");
    s.append("<desc id=\"").append(escape(id)).append("-desc\">").append(escape(description)).append("</desc>");
    // Grid and y labels: 0, half, max.
    for (int k = 0; k <= 2; k++) {
      double v = max * k / 2;
      String y = fmt(y(v, max));
      s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_WIDTH)
          .append("\" y1=\"").append(y).append("\" y2=\"").append(y)
          .append("\" stroke=\"#d8dee6\" stroke-width=\"1\"/>");
      s.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y(v, max) + 4))
          .append("\" font-size=\"11\" fill=\"#5a6675\" text-anchor=\"end\">")
          .append(escape(tick.apply(v))).append("</text>");
    }
    // X labels: first, middle, last.
    if (n > 0) {
      int[] at = n == 1 ? new int[] {0} : n == 2 ? new int[] {0, 1} : new int[] {0, n / 2, n - 1};
      for (int i : at) {
        String anchor = i == 0 && n > 1 ? "start" : i == n - 1 && n > 1 ? "end" : "middle";
        s.append("<text x=\"").append(fmt(x(i, n))).append("\" y=\"").append(TOP + PLOT_HEIGHT + 16)
            .append("\" font-size=\"11\" fill=\"#5a6675\" text-anchor=\"").append(anchor).append("\">")
            .append(escape(xLabels.get(i))).append("</text>");
      }
    }
    // The lines, then a dot per value so lone points show.
    for (Series ser : series) {
      String d = path(ser.values(), max);
      String color = color(ser.key());
      if (!d.isEmpty()) {
        s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color)
            .append("\" stroke-width=\"2\" stroke-linejoin=\"round\"");
        String dash = dash(ser.key());
        if (dash != null) {
          s.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        s.append("/>");
      }
      for (int i = 0; i < ser.values().size(); i++) {
        Double v = ser.values().get(i);
        if (v != null) {
          s.append("<circle cx=\"").append(fmt(x(i, n))).append("\" cy=\"").append(fmt(y(v, max)))
              .append("\" r=\"2.5\" fill=\"").append(color).append("\"/>");
        }
      }
    }
    // Legend: a sample of each line (same colour and dash) and its name.
    int lx = LEFT;
    int ly = TOP + PLOT_HEIGHT + 40;
    for (Series ser : series) {
      s.append("<line x1=\"").append(lx).append("\" x2=\"").append(lx + 26).append("\" y1=\"").append(ly - 4)
          .append("\" y2=\"").append(ly - 4).append("\" stroke=\"").append(color(ser.key()))
          .append("\" stroke-width=\"2\"");
      String dash = dash(ser.key());
      if (dash != null) {
        s.append(" stroke-dasharray=\"").append(dash).append('"');
      }
      s.append("/><text x=\"").append(lx + 32).append("\" y=\"").append(ly)
          .append("\" font-size=\"12\" fill=\"#1c2430\">").append(escape(ser.label())).append("</text>");
      lx += 40 + 8 * ser.label().length();
    }
    return s.append("</svg>").toString();
  }

  /** The path of one series: "M x y L x y …", a new "M" after every gap. */
  static String path(List<Double> values, double max) {
    StringBuilder d = new StringBuilder();
    boolean penDown = false;
    int n = values.size();
    for (int i = 0; i < n; i++) {
      Double v = values.get(i);
      if (v == null || v.isNaN()) {
        penDown = false;
        continue;
      }
      d.append(d.length() == 0 ? "" : " ").append(penDown ? 'L' : 'M')
          .append(fmt(x(i, n))).append(' ').append(fmt(y(v, max)));
      penDown = true;
    }
    return d.toString();
  }

  static double x(int i, int n) {
    return n <= 1 ? LEFT + PLOT_WIDTH / 2.0 : LEFT + i * (double) PLOT_WIDTH / (n - 1);
  }

  /** The y of {@code v} on a 0..max axis (values outside are clamped to the plot). */
  static double y(double v, double max) {
    double r = max <= 0 ? 0 : Math.max(0, Math.min(1, v / max));
    return TOP + PLOT_HEIGHT * (1 - r);
  }

  /** A round axis maximum at or above {@code max}: 1, 2 or 5 × 10ⁿ (at least 1). */
  static double niceMax(double max) {
    if (!(max > 0) || Double.isInfinite(max)) {
      return 1000;
    }
    double e = Math.pow(10, Math.floor(Math.log10(max)));
    double f = max / e;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return Math.max(1, nice * e);
  }

  private static double maxOf(List<Series> series) {
    double m = 0;
    for (Series s : series) {
      for (Double v : s.values()) {
        if (v != null && !v.isNaN() && v > m) {
          m = v;
        }
      }
    }
    return m;
  }

  static String color(String key) {
    return switch (key) {
      case "github" -> "#24292f";
      case "notion" -> "#7a4dc9";
      case "slack" -> "#b35900";
      case "google_calendar" -> "#1a73e8";
      default -> "#5a6675";
    };
  }

  static String dash(String key) {
    return switch (key) {
      case "notion" -> "7 4";
      case "slack" -> "2 3";
      case "google_calendar" -> "12 3 3 3";
      default -> null;
    };
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
