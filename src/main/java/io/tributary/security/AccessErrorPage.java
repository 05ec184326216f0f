package io.tributary.security;

import io.tributary.platform.web.ApiError;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page ({@code web.xml}) for the refusals the container itself makes after
 * authentication: 403 when the caller lacks the role (the scheduler's bearer identity on an
 * admin-only path), or a method that is denied everywhere (TRACE). It answers in the API's JSON
 * shape instead of the container's HTML page.
 */
@WebServlet(name = "AccessErrorPage", urlPatterns = AccessErrorPage.PATH)
public class AccessErrorPage extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final String PATH = "/errors/access";

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i ? i : 404;
    String error;
    String message;
    switch (status) {
      case 401 -> {
        error = "unauthorized";
        message = TributaryAuthenticationMechanism.NO_CREDENTIALS;
      }
      case 403 -> {
        error = "forbidden";
        message =
            "These credentials are valid but may not use this resource (or this HTTP method is"
                + " not allowed); the cron secret only opens /api/cron/*.";
      }
      case 404 -> {
        error = "not_found";
        message = "No such resource.";
      }
      default -> {
        error = status >= 500 ? "server_error" : "client_error";
        message = "The request was not accepted.";
      }
    }
    ApiError.write(response, status, error, message);
  }
}
