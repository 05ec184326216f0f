package io.tributary.dashboard;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** The page of a refused form post (403, or 413) or protected page: what happened and what to do. */
final class RefusedPage {
  private RefusedPage() {}

  static final String STALE_FORM =
      "This form was not accepted: its security token is missing or no longer valid (the page was"
          + " open too long, the server restarted, or the form came from another site). Nothing was"
          + " changed.";
  static final String PROTECTED_VIEW = "This page can only be opened from the dashboard's own links.";
  static final String TOO_LARGE =
      "This form was not accepted: it is larger than any form of the dashboard. Nothing was changed.";

  static void write(HttpServletResponse response, String contextPath, String message) {
    write(response, contextPath, message, HttpServletResponse.SC_FORBIDDEN);
  }

  static void write(HttpServletResponse response, String contextPath, String message, int status) {
    page(
        response,
        contextPath,
        status,
        "Request refused",
        "<p>" + message + "</p><p><a href=\"" + contextPath + "/dashboard/monitoring\">Back to the dashboard</a>"
            + " and try again.</p>");
  }

  /**
   * Writes a small page of the dashboard's look over whatever was buffered: {@code status}, a
   * heading and {@code bodyHtml} (trusted markup, never request data), no script.
   */
  static void page(HttpServletResponse response, String contextPath, int status, String heading, String bodyHtml) {
    page(response, contextPath, status, heading, bodyHtml, 0);
  }

  /** As above; with {@code refreshSeconds > 0} the browser reloads the page it asked for then. */
  static void page(
      HttpServletResponse response, String contextPath, int status, String heading, String bodyHtml, int refreshSeconds) {
    try {
      response.resetBuffer();
      response.setStatus(status);
      response.setContentType("text/html");
      response.setCharacterEncoding("UTF-8");
      response.setHeader("Cache-Control", "no-store");
      PrintWriter w = response.getWriter();
      w.write(
          "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
              + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
              + (refreshSeconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">" : "")
              + "<title>" + heading + " · Tributary</title>"
              + "<link rel=\"stylesheet\" href=\"" + contextPath
              + "/jakarta.faces.resource/dashboard.css.xhtml?ln=css\">"
              + "</head><body><main id=\"main\" class=\"refused\"><h1>" + heading + "</h1>"
              + bodyHtml
              + "</main></body></html>");
      response.flushBuffer();
    } catch (IOException e) {
      // The client went away.
    }
  }
}
