package io.tributary.dashboard;

/**
 * Where the login page may send a browser after the login: back to the dashboard page it asked for
 * ({@code next}), but only a dashboard path of this application, never another site ({@code
 * //evil.example}, {@code \\evil}, absolute URLs) and never a header-splitting value.
 */
public final class LoginTarget {
  private LoginTarget() {}

  public static final String DEFAULT = "/dashboard/monitoring";

  public static String safe(String next) {
    if (next == null || next.length() > 1000) {
      return DEFAULT;
    }
    if (!(next.equals("/dashboard") || next.startsWith("/dashboard/"))) {
      return DEFAULT;
    }
    if (next.contains("//") || next.contains("\\") || next.contains("/../") || next.endsWith("/..")) {
      return DEFAULT;
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return DEFAULT;
      }
    }
    // The admin accounts page opens only from the dashboard's own links (a protected view).
    if (next.startsWith("/dashboard/admins")) {
      return DEFAULT;
    }
    return next;
  }
}
