package io.tributary.dashboard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The browser-facing pages' security headers: the dashboard, the login page and the landing page.
 *
 * <ul>
 *   <li>{@code Content-Security-Policy}: scripts, styles, images, form targets only from this
 *       origin; no inline script or style at all (the pages have none: no Ajax, no inline event
 *       handlers, charts are inline SVG with presentation attributes), no framing, no {@code
 *       <base>}.
 *   <li>{@code X-Frame-Options: DENY} for browsers without {@code frame-ancestors}, {@code
 *       X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} (URLs carry filters
 *       and ids that are nobody else's business).
 *   <li>{@code Cache-Control: no-store} on the dashboard and the login page: authenticated pages and
 *       forms with tokens are never kept by the browser or a proxy.
 * </ul>
 *
 * Set before the page is rendered, so they are present however the page ends.
 */
@WebFilter(
    filterName = "DashboardSecurityHeaders",
    urlPatterns = {"/dashboard/*", "/login", "/login.xhtml", "", "/index.html"})
public class SecurityHeaders extends HttpFilter {
  private static final long serialVersionUID = 1L;

  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    apply(request.getRequestURI().substring(request.getContextPath().length()), response);
    chain.doFilter(request, response);
  }

  static void apply(String path, HttpServletResponse response) {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    if (!path.isEmpty() && !path.equals("/") && !path.equals("/index.html")) {
      response.setHeader("Cache-Control", "no-store");
      response.setHeader("Pragma", "no-cache");
    }
  }
}
