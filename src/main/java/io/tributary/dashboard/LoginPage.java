package io.tributary.dashboard;

import io.tributary.security.AdminAccountRules;
import io.tributary.security.TributaryAuthenticationMechanism;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The login page. The form is a Faces form (its view state makes it CSRF-proof, so nobody can log
 * a browser into an account of theirs); its credentials go to {@link SecurityContext#authenticate},
 * i.e. to the application's one authentication mechanism and identity store, which starts the
 * session or says, after a uniform delay, why not.
 */
@Named("login")
@RequestScoped
public class LoginPage {

  static final String WRONG = "The username or password is wrong.";

  @Inject SecurityContext security;

  private String username;
  private String password;
  private String next;

  @PostConstruct
  void init() {
    next = Pages.param("next");
  }

  /** On opening the page: an admin who is signed in already goes straight on. */
  public void onOpen() {
    if (security.getCallerPrincipal() != null) {
      Pages.redirect(LoginTarget.safe(next));
    }
  }

  public String signIn() {
    FacesContext faces = FacesContext.getCurrentInstance();
    ExternalContext ec = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) ec.getRequest();
    HttpServletResponse response = (HttpServletResponse) ec.getResponse();
    String user = username == null ? "" : username.strip();
    String secret = password == null ? "" : password;
    password = null;
    if (secret.length() > AdminAccountRules.PASSWORD_MAX_LENGTH) {
      secret = secret.substring(0, AdminAccountRules.PASSWORD_MAX_LENGTH + 1);
    }
    AuthenticationStatus status =
        security.authenticate(
            request,
            response,
            AuthenticationParameters.withParams()
                .credential(new UsernamePasswordCredential(user, new Password(secret)))
                .newAuthentication(true));
    switch (status) {
      case SUCCESS -> Pages.redirect(LoginTarget.safe(next));
      case SEND_CONTINUE -> faces.responseComplete();
      default -> {
        Object why = request.getAttribute(TributaryAuthenticationMechanism.LOGIN_FAILURE_MESSAGE);
        Pages.error(why instanceof String s ? s : WRONG);
      }
    }
    return null;
  }

  public boolean isSignedOut() {
    return "true".equals(Pages.param("signedOut"));
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return null; // never rendered back
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getNext() {
    return next;
  }

  public void setNext(String next) {
    this.next = next;
  }
}
