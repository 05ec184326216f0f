package io.tributary.dashboard;

import io.tributary.platform.database.DatabaseTrouble;
import io.tributary.platform.web.ApiError;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The error page ({@code web.xml}, by exception type) of every exception that escapes a request:
 * in practice a dashboard page whose bean failed while rendering (the API maps its own exceptions
 * to JSON, {@code ErrorMappers}). Instead of the container's 500:
 *
 * <ul>
 *   <li>the database unavailable ({@link DatabaseTrouble}: PostgreSQL restarting or stopped, the
 *       pool exhausted): 503 with {@code Retry-After}, and a page saying so, which reloads itself
 *       (no script) until the database is back; nothing is wrong with the page or the session;
 *   <li>anything else: 500 and a page naming an incident id; the exception is logged under that id.
 * </ul>
 *
 * Neither page carries the exception's text or a stack trace. Both have the dashboard's security
 * headers ({@link SecurityHeaders}): this runs on an error dispatch, which the header filter does
 * not see. A failed {@code /api/*} request (should one ever escape its mappers) gets the API's JSON
 * error with the same statuses.
 */
@WebServlet(name = "FailedPage", urlPatterns = FailedPage.PATH)
public class FailedPage extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private static final Logger LOG = Logger.getLogger(FailedPage.class.getName());

  static final String PATH = "/errors/page";

  /** How long a client should wait before asking again while the database is unavailable. */
  static final int RETRY_AFTER_SECONDS = 30;

  static final String DATABASE_UNAVAILABLE =
      "The database is unavailable; this page will work again when it is back. Nothing you did"
          + " caused this, and nothing was lost: this page reloads itself every "
          + RETRY_AFTER_SECONDS + " seconds.";

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String path = uri == null ? "" : uri.toString().substring(Math.min(uri.toString().length(), request.getContextPath().length()));
    if (response.isCommitted()) {
      // Part of the page already went out with 200; all that is left is to end it.
      LOG.log(Level.WARNING, "A page failed after its answer had started: " + path, failure);
      return;
    }
    response.reset();
    boolean api = path.startsWith("/api/");
    if (!api) {
      SecurityHeaders.apply(path, response);
    }
    if (failure != null && DatabaseTrouble.is(failure)) {
      LOG.warning("Answered 503 for " + path + ": the database is unavailable (" + failure + ")");
      response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      if (api) {
        ApiError.write(response, 503, "database_unavailable", "The database is not available right now; try again in a few seconds.");
      } else {
        RefusedPage.page(
            response,
            request.getContextPath(),
            HttpServletResponse.SC_SERVICE_UNAVAILABLE,
            "Database unavailable",
            "<p>" + DATABASE_UNAVAILABLE + "</p>",
            RETRY_AFTER_SECONDS);
      }
      return;
    }
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unhandled error on " + path + ", incident " + incident, failure);
    if (api) {
      ApiError.write(response, 500, "server_error", "The server failed (incident " + incident + "); see its log.");
    } else {
      RefusedPage.page(
          response,
          request.getContextPath(),
          HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
          "Something went wrong",
          "<p>This page failed on the server (incident " + incident + "). Nothing you did caused"
              + " this; the error is in the server's log under that incident.</p><p><a href=\""
              + request.getContextPath() + "/dashboard/monitoring\">Back to the dashboard</a></p>");
    }
  }

}
