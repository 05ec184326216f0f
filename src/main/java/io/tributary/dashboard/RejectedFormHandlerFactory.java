package io.tributary.dashboard;

import jakarta.faces.FacesException;
import jakarta.faces.application.ProtectedViewException;
import jakarta.faces.application.ViewExpiredException;
import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerFactory;
import jakarta.faces.context.ExceptionHandlerWrapper;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.ExceptionQueuedEvent;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.logging.Logger;

/**
 * Answers a form post whose CSRF token does not check out with 403 and a page that says what to
 * do, instead of the container's error page: a missing, forged or stale {@code
 * jakarta.faces.ViewState} ({@link ViewExpiredException}), or a protected view reached without its
 * {@code jakarta.faces.Token} ({@link ProtectedViewException}). Nothing of the post is applied.
 * Registered in {@code faces-config.xml}.
 */
public class RejectedFormHandlerFactory extends ExceptionHandlerFactory {

  public RejectedFormHandlerFactory(ExceptionHandlerFactory wrapped) {
    super(wrapped);
  }

  @Override
  public ExceptionHandler getExceptionHandler() {
    return new Handler(getWrapped().getExceptionHandler());
  }

  static final class Handler extends ExceptionHandlerWrapper {
    private static final Logger LOG = Logger.getLogger(RejectedFormHandlerFactory.class.getName());

    Handler(ExceptionHandler wrapped) {
      super(wrapped);
    }

    @Override
    public void handle() {
      FacesContext context = FacesContext.getCurrentInstance();
      Iterator<ExceptionQueuedEvent> events = getUnhandledExceptionQueuedEvents().iterator();
      while (events.hasNext()) {
        Throwable t = events.next().getContext().getException();
        Throwable rejected = rejection(t);
        if (rejected != null && context != null && !context.getResponseComplete()) {
          events.remove();
          LOG.info(
              "Rejected a dashboard form or page without a valid token ("
                  + rejected.getClass().getSimpleName()
                  + ") from "
                  + context.getExternalContext().getRequestServletPath());
          answer(context, rejected instanceof ProtectedViewException);
        }
      }
      getWrapped().handle();
    }

    static Throwable rejection(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof ViewExpiredException || c instanceof ProtectedViewException) {
          return c;
        }
        if (!(c instanceof FacesException) && c.getCause() == null) {
          break;
        }
      }
      return null;
    }

    private static void answer(FacesContext context, boolean protectedView) {
      HttpServletResponse response = (HttpServletResponse) context.getExternalContext().getResponse();
      String base = context.getExternalContext().getRequestContextPath();
      try {
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter w = response.getWriter();
        w.write(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Request refused · Tributary</title>"
                + "<link rel=\"stylesheet\" href=\"" + base + "/jakarta.faces.resource/dashboard.css.xhtml?ln=css\">"
                + "</head><body><main id=\"main\" class=\"refused\"><h1>Request refused</h1><p>"
                + (protectedView
                    ? "This page can only be opened from the dashboard's own links."
                    : "This form was not accepted: its security token is missing or no longer valid"
                        + " (the page was open too long, the server restarted, or the form came from"
                        + " another site). Nothing was changed.")
                + "</p><p><a href=\"" + base + "/dashboard/monitoring\">Back to the dashboard</a>"
                + " and try again.</p></main></body></html>");
        response.flushBuffer();
      } catch (IOException e) {
        // The client went away.
      }
      context.responseComplete();
    }
  }
}
