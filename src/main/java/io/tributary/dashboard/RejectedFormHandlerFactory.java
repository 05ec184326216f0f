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
      RefusedPage.write(
          (HttpServletResponse) context.getExternalContext().getResponse(),
          context.getExternalContext().getRequestContextPath(),
          protectedView ? RefusedPage.PROTECTED_VIEW : RefusedPage.STALE_FORM);
      context.responseComplete();
    }
  }
}
