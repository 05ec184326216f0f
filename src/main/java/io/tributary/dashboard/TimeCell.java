package io.tributary.dashboard;

import java.time.Instant;

/**
 * A moment as a table cell writes it, {@code <time datetime="iso" title="time">ago</time>}, already
 * formatted, for pages that render many of them ({@link ConnectionRow}); plain getters, so EL reads
 * them without a method lookup per cell.
 */
public final class TimeCell {
  private final String iso;
  private final String title;
  private final String ago;

  /** {@code t} (or null: never) as seen at {@code now}. */
  TimeCell(Instant t, Instant now) {
    this.iso = Formats.formatIso(t);
    this.title = Formats.formatTime(t);
    this.ago = Formats.formatAgo(t, now);
  }

  /** The machine-readable form for {@code datetime}, or empty. */
  public String getIso() {
    return iso;
  }

  /** The full UTC time for the tooltip, or a dash. */
  public String getTitle() {
    return title;
  }

  /** {@code 5 min ago}, or {@code never}. */
  public String getAgo() {
    return ago;
  }
}
