package io.tributary.dashboard;

import io.tributary.security.AdminSessions;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Principal;

/** The signed-in admin, for the page header, and signing out. */
@Named("operator")
@RequestScoped
public class Operator {

  @Inject SecurityContext security;
  @Inject AdminSessions sessions;

  /** The admin's username, or empty when nobody is signed in. */
  public String getUsername() {
    Principal p = security.getCallerPrincipal();
    return p == null ? "" : p.getName();
  }

  /** Ends the session (on every page of this browser) and shows the login page. */
  public String signOut() {
    FacesContext faces = FacesContext.getCurrentInstance();
    ExternalContext ec = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) ec.getRequest();
    try {
      request.logout();
    } catch (ServletException e) {
      // The session below is what matters; it ends regardless.
    }
    sessions.end(request);
    try {
      ec.redirect(ec.getRequestContextPath() + "/login?signedOut=true");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    faces.responseComplete();
    return null;
  }
}
