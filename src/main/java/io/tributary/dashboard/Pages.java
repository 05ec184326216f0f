package io.tributary.dashboard;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What every page's actions do when they are done: a message for the next page (kept across the
 * redirect in the flash), then POST-redirect-GET to a plain URL, so reloading never repeats an
 * action and the auto-refresh reloads a GET.
 */
final class Pages {
  private Pages() {}

  static void info(String message) {
    add(FacesMessage.SEVERITY_INFO, message);
  }

  static void warn(String message) {
    add(FacesMessage.SEVERITY_WARN, message);
  }

  static void error(String message) {
    add(FacesMessage.SEVERITY_ERROR, message);
  }

  private static void add(FacesMessage.Severity severity, String message) {
    FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, message, null));
  }

  /** Redirects to {@code path} (inside the application, with its query), keeping the messages. */
  static void redirect(String path) {
    FacesContext faces = FacesContext.getCurrentInstance();
    if (faces.getResponseComplete()) {
      // A forged post pressing several buttons runs several actions; the second redirect would fail
      // (a 500) after the first one's answer was sent.
      return;
    }
    ExternalContext ec = faces.getExternalContext();
    ec.getFlash().setKeepMessages(true);
    try {
      ec.redirect(ec.getRequestContextPath() + path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    faces.responseComplete();
  }

  /** A request parameter, or null. */
  static String param(String name) {
    return FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get(name);
  }
}
