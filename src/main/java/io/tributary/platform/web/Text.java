package io.tributary.platform.web;

/**
 * The one rule for text that comes from a request and may reach the database or a log: no control
 * characters (a tab is allowed) and no broken UTF-16. PostgreSQL refuses NUL in text (a 500 if it
 * gets that far), and an unpaired surrogate is stored as '?', so two different inputs would become
 * the same value.
 */
public final class Text {
  private Text() {}

  /** Whether {@code s} is free of control characters (except tab) and unpaired surrogates. */
  public static boolean isClean(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\t' && Character.isISOControl(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} made safe to repeat in an error message: printable ASCII only, at most 40 characters. */
  public static String printable(String s) {
    String clean = s == null ? "" : s.replaceAll("[^\\p{Alnum}_.-]", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
  }
}
