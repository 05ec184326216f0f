package io.tributary.dashboard;

import jakarta.faces.render.ResponseStateManager;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses (403) a form post to the dashboard or the login page that carries no {@code
 * jakarta.faces.ViewState} at all. Faces would treat such a post as a first visit and simply show
 * the page (running nothing); refusing it outright makes "no token, no post" explicit. A token that
 * is present but forged or stale is refused by {@link RejectedFormHandlerFactory}.
 *
 * <p>A post larger than {@link #MAX_FORM_BYTES} is refused (413) before its body is read: the
 * dashboard's forms are a few hundred bytes, and the container would otherwise fail with a 500
 * past its own limit (2 MB).
 *
 * <p>Runs after the authentication mechanism: a post without a session never gets here (it is sent
 * to the login page).
 */
@WebFilter(
    filterName = "DashboardFormToken",
    urlPatterns = {"/dashboard/*", "/login", "/login.xhtml"})
public class FormTokenFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  static final int MAX_FORM_BYTES = 64 * 1024;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if ("POST".equalsIgnoreCase(request.getMethod()) && request.getCharacterEncoding() == null) {
      // Reading a parameter parses the body: in the pages' encoding (as Faces would), or a
      // password with non-ASCII characters would arrive mangled.
      request.setCharacterEncoding("UTF-8");
    }
    if ("POST".equalsIgnoreCase(request.getMethod())) {
      if (request.getContentLengthLong() > MAX_FORM_BYTES) {
        RefusedPage.write(response, request.getContextPath(), RefusedPage.TOO_LARGE, 413);
        return;
      }
      boolean token;
      try {
        token = hasToken(request);
      } catch (IllegalStateException e) {
        // A chunked post past the container's limit: it fails while its parameters are parsed.
        RefusedPage.write(response, request.getContextPath(), RefusedPage.TOO_LARGE, 413);
        return;
      }
      if (!token) {
        RefusedPage.write(response, request.getContextPath(), RefusedPage.STALE_FORM);
        return;
      }
    }
    chain.doFilter(request, response);
  }

  static boolean hasToken(HttpServletRequest request) {
    String token = request.getParameter(ResponseStateManager.VIEW_STATE_PARAM);
    return token != null && !token.isBlank();
  }
}
