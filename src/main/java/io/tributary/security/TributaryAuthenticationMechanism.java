package io.tributary.security;

import io.tributary.platform.web.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * How every request proves who it is; the one {@link HttpAuthenticationMechanism} of the
 * application (Jakarta Security allows one). Which paths need which role is declared in {@code
 * web.xml}; this class only establishes the caller.
 *
 * <ul>
 *   <li>{@code Authorization: Basic} - an admin, checked by the identity store ({@link
 *       AdminIdentityStore}); caller in group {@code admin}.
 *   <li>{@code Authorization: Bearer <CRON_SECRET>} - the external scheduler ({@link CronSecret});
 *       caller {@code cron} in group {@code cron}. Without a configured secret a bearer call to a
 *       protected resource gets 503 {@code cron_secret_not_set}: the cron endpoints fail closed.
 *   <li>No credentials on a protected resource: 401.
 * </ul>
 *
 * <p>Every refusal is written here as the API's JSON error ({@code {"error":..,"message":..}}) and
 * committed, so the container never substitutes its HTML error page; a 401 for anything but a
 * bearer attempt carries {@code WWW-Authenticate: Basic realm="tributary"}. On an unprotected
 * resource nothing is refused: offered credentials are checked so the caller is known when they are
 * valid, and ignored otherwise. Presented credentials are never logged.
 *
 * <p>The dashboard ({@code /dashboard/*}) and its login page ({@code /login}) are for people with
 * browsers, so they get a form login instead ({@link #decideDashboard}, {@link #decideFormLogin}):
 *
 * <ul>
 *   <li>The login page's form (a Faces form, so CSRF-protected by its view state) hands the
 *       username and password to {@code SecurityContext.authenticate}; they are checked by the same
 *       identity store as HTTP Basic (PBKDF2, credential cache). Success starts an admin session
 *       under a new session id ({@link AdminSessions}); failure is answered after {@link
 *       LoginThrottle#FAILURE_ANSWER_TIME} with one message for an unknown admin and a wrong
 *       password alike, and an address with too many failures is blocked for a while ({@link
 *       LoginThrottle}).
 *   <li>A request carrying a valid admin session is that admin (group {@code admin}).
 *   <li>No session and no {@code Authorization} header on a dashboard page: redirect to the login
 *       page, which returns to the page asked for (GET) after the login. With an {@code
 *       Authorization} header the API's rules apply unchanged (scripts may use HTTP Basic).
 * </ul>
 *
 * <p>{@link #decide}, {@link #decideDashboard} and {@link #decideFormLogin} hold the whole decision
 * and are unit-tested; {@link #validateRequest} only carries it out.
 */
@ApplicationScoped
public class TributaryAuthenticationMechanism implements HttpAuthenticationMechanism {

  private static final Logger LOG = Logger.getLogger(TributaryAuthenticationMechanism.class.getName());

  static final String REALM = "tributary";
  static final String CRON_CALLER = "cron";
  static final String CRON_GROUP = "cron";
  static final String BASIC_CHALLENGE = "Basic realm=\"" + REALM + "\"";
  static final String BEARER_CHALLENGE = "Bearer realm=\"" + REALM + "\"";

  static final String NO_CREDENTIALS =
      "This resource needs credentials: HTTP Basic with an admin account, or"
          + " 'Authorization: Bearer <CRON_SECRET>' for the cron endpoints.";
  static final String WRONG_PASSWORD = "The username or password is wrong.";
  static final String MALFORMED_BASIC =
      "The Authorization header is not valid HTTP Basic (Basic followed by base64 of"
          + " username:password).";
  static final String WRONG_BEARER = "The bearer token is not the server's CRON_SECRET.";
  static final String UNSUPPORTED_SCHEME =
      "Unsupported authorization scheme: use HTTP Basic (admins) or Bearer <CRON_SECRET> (cron).";
  static final String CRON_SECRET_NOT_SET =
      "CRON_SECRET is not set on the server: the cron endpoints refuse every call until it is.";
  static final String STORE_UNAVAILABLE =
      "The admin accounts cannot be checked right now; try again shortly.";

  /** The dashboard's login page (extensionless Faces mapping of {@code /login.xhtml}). */
  public static final String LOGIN_PATH = "/login";

  /** Where the login page finds why {@code SecurityContext.authenticate} failed (a message). */
  public static final String LOGIN_FAILURE_MESSAGE =
      TributaryAuthenticationMechanism.class.getName() + ".loginFailure";

  static final String TOO_MANY_ATTEMPTS =
      "Too many failed sign-ins from your address. Try again in %d minute(s).";

  @Inject IdentityStoreHandler identityStores;
  @Inject CronSecret cronSecret;
  @Inject AdminSessions sessions;
  @Inject LoginThrottle throttle;

  public TributaryAuthenticationMechanism() {}

  TributaryAuthenticationMechanism(IdentityStoreHandler identityStores, CronSecret cronSecret) {
    this.identityStores = identityStores;
    this.cronSecret = cronSecret;
  }

  /** What to do with one request. */
  record Decision(
      Kind kind,
      String caller,
      Set<String> groups,
      Refusal refusal,
      String location,
      String failureMessage) {
    enum Kind {
      /** Anonymous: an unprotected resource, nothing (valid) offered. */
      PASS,
      /** Authenticated as {@code caller} in {@code groups}. */
      LOGIN,
      /** The login form's credentials are right: start an admin session for {@code caller}. */
      START_SESSION,
      /** Refused with {@code refusal}. */
      REFUSE,
      /** A browser without a session on a dashboard page: send it to {@code location}. */
      REDIRECT,
      /** The login form's credentials were not accepted: {@code failureMessage} says why. */
      FORM_FAILURE
    }

    static Decision pass() {
      return new Decision(Kind.PASS, null, Set.of(), null, null, null);
    }

    static Decision login(String caller, Set<String> groups) {
      return new Decision(Kind.LOGIN, caller, Set.copyOf(groups), null, null, null);
    }

    static Decision startSession(String caller, Set<String> groups) {
      return new Decision(Kind.START_SESSION, caller, Set.copyOf(groups), null, null, null);
    }

    static Decision refuse(int status, String error, String message, String challenge) {
      return new Decision(
          Kind.REFUSE, null, Set.of(), new Refusal(status, error, message, challenge), null, null);
    }

    static Decision redirect(String location) {
      return new Decision(Kind.REDIRECT, null, Set.of(), null, location, null);
    }

    static Decision formFailure(String message) {
      return new Decision(Kind.FORM_FAILURE, null, Set.of(), null, null, message);
    }
  }

  /** A refusal: HTTP status, the JSON error's code and message, and the challenge header if any. */
  record Refusal(int status, String error, String message, String challenge) {
    String json() {
      return ApiError.body(error, message);
    }
  }

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    if (context.isAuthenticationRequest()
        && context.getAuthParameters() != null
        && context.getAuthParameters().getCredential() instanceof UsernamePasswordCredential c) {
      return formLogin(request, context, c);
    }
    String path = pathOf(request);
    Decision decision =
        isFormPath(path)
            ? decideDashboard(
                request.getHeader("Authorization"),
                path,
                request.getQueryString(),
                request.getMethod(),
                context.isProtected(),
                sessions.current(request).orElse(null))
            : decide(request.getHeader("Authorization"), path, context.isProtected());
    return switch (decision.kind()) {
      case PASS -> context.doNothing();
      case LOGIN -> context.notifyContainerAboutLogin(decision.caller(), decision.groups());
      case REFUSE -> refuse(response, decision.refusal());
      case REDIRECT -> redirect(request, response, decision.location());
      // Only reached through formLogin.
      case START_SESSION, FORM_FAILURE -> context.doNothing();
    };
  }

  /**
   * The decision for an API request (and any path outside the dashboard), from its {@code
   * Authorization} header, its path inside the application and whether {@code web.xml} protects
   * it.
   */
  Decision decide(String authorization, String path, boolean protectedResource) {
    return decideApi(authorization, protectedResource);
  }

  /** Whether {@code path} belongs to the browser-facing dashboard (form login, sessions). */
  static boolean isFormPath(String path) {
    return path != null
        && (path.equals("/dashboard")
            || path.startsWith("/dashboard/")
            || path.equals(LOGIN_PATH)
            || path.equals(LOGIN_PATH + ".xhtml"));
  }

  /**
   * The decision for a dashboard or login page request.
   *
   * @param sessionAdmin the admin of the request's valid session, or null
   */
  Decision decideDashboard(
      String authorization,
      String path,
      String query,
      String method,
      boolean protectedResource,
      String sessionAdmin) {
    if (sessionAdmin != null) {
      return Decision.login(sessionAdmin, Set.of(AdminIdentityStore.ADMIN_GROUP));
    }
    if (authorization != null && !authorization.isBlank()) {
      // Scripts and API clients keep working here as everywhere else.
      return decideApi(authorization, protectedResource);
    }
    if (!protectedResource) {
      return Decision.pass();
    }
    return Decision.redirect(loginLocation(path, query, method));
  }

  /**
   * Where a browser without a session goes: the login page, told to come back to the page asked
   * for when that was a GET (a POST cannot be repeated after the login).
   */
  static String loginLocation(String path, String query, String method) {
    boolean readOnly = "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
    if (!readOnly || path == null) {
      return LOGIN_PATH;
    }
    String target = query == null || query.isEmpty() ? path : path + "?" + query;
    if (target.length() > 1000) {
      return LOGIN_PATH;
    }
    return LOGIN_PATH + "?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
  }

  /**
   * The decision for the login form's credentials.
   *
   * @param blockedFor how long the client's address is still blocked, or null
   */
  Decision decideFormLogin(UsernamePasswordCredential credential, Duration blockedFor) {
    if (blockedFor != null) {
      long minutes = Math.max(1, (blockedFor.toSeconds() + 59) / 60);
      return Decision.formFailure(String.format(Locale.ROOT, TOO_MANY_ATTEMPTS, minutes));
    }
    CredentialValidationResult result = identityStores.validate(credential);
    return switch (result.getStatus()) {
      case VALID ->
          Decision.startSession(result.getCallerPrincipal().getName(), result.getCallerGroups());
      case INVALID -> Decision.formFailure(WRONG_PASSWORD);
      case NOT_VALIDATED -> Decision.formFailure(STORE_UNAVAILABLE);
    };
  }

  private AuthenticationStatus formLogin(
      HttpServletRequest request, HttpMessageContext context, UsernamePasswordCredential c) {
    long started = System.nanoTime();
    String address = request.getRemoteAddr();
    Decision d = decideFormLogin(c, throttle.blockedFor(address).orElse(null));
    if (d.kind() == Decision.Kind.START_SESSION) {
      throttle.succeeded(address);
      sessions.establish(request, d.caller());
      return context.notifyContainerAboutLogin(d.caller(), d.groups());
    }
    if (!STORE_UNAVAILABLE.equals(d.failureMessage()) && throttle.failed(address)) {
      // The address, never the username or password: a mistyped password may sit in either.
      LOG.warning(
          "Dashboard sign-in from "
              + address
              + " blocked for "
              + LoginThrottle.WINDOW.toMinutes()
              + " min after "
              + LoginThrottle.MAX_FAILURES
              + " failed attempts.");
    }
    request.setAttribute(LOGIN_FAILURE_MESSAGE, d.failureMessage());
    // Every failure takes as long as any other: neither the answer nor its timing says whether the
    // admin exists, and guessing gets slow.
    pause(LoginThrottle.remainingPause(Duration.ofNanos(System.nanoTime() - started)));
    return AuthenticationStatus.SEND_FAILURE;
  }

  private static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static AuthenticationStatus redirect(
      HttpServletRequest request, HttpServletResponse response, String location) {
    boolean readOnly =
        "GET".equalsIgnoreCase(request.getMethod()) || "HEAD".equalsIgnoreCase(request.getMethod());
    response.resetBuffer();
    response.setStatus(readOnly ? HttpServletResponse.SC_FOUND : HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", request.getContextPath() + location);
    response.setHeader("Cache-Control", "no-store");
    try {
      response.flushBuffer();
    } catch (IOException e) {
      // The client went away.
    }
    return AuthenticationStatus.SEND_CONTINUE;
  }

  private Decision decideApi(String authorization, boolean protectedResource) {
    String header = authorization == null ? "" : authorization.strip();
    if (header.isEmpty()) {
      return protectedResource ? unauthorized(NO_CREDENTIALS, BASIC_CHALLENGE) : Decision.pass();
    }
    int space = header.indexOf(' ');
    String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
    String value = space < 0 ? "" : header.substring(space + 1).strip();
    Decision decision =
        switch (scheme) {
          case "basic" -> basic(value);
          case "bearer" -> bearer(value);
          default -> unauthorized(UNSUPPORTED_SCHEME, BASIC_CHALLENGE);
        };
    // Unprotected resources are never refused: bad credentials there leave the caller anonymous.
    return decision.kind() == Decision.Kind.REFUSE && !protectedResource
        ? Decision.pass()
        : decision;
  }

  private Decision basic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return unauthorized(MALFORMED_BASIC, BASIC_CHALLENGE);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return unauthorized(MALFORMED_BASIC, BASIC_CHALLENGE);
    }
    CredentialValidationResult result =
        identityStores.validate(
            new UsernamePasswordCredential(
                decoded.substring(0, colon), decoded.substring(colon + 1)));
    return switch (result.getStatus()) {
      case VALID -> Decision.login(result.getCallerPrincipal().getName(), result.getCallerGroups());
      case INVALID -> unauthorized(WRONG_PASSWORD, BASIC_CHALLENGE);
      // No store could decide (the database is down): not the caller's fault, so not a 401.
      case NOT_VALIDATED -> Decision.refuse(503, "service_unavailable", STORE_UNAVAILABLE, null);
    };
  }

  private Decision bearer(String token) {
    if (!cronSecret.configured()) {
      return Decision.refuse(503, "cron_secret_not_set", CRON_SECRET_NOT_SET, null);
    }
    if (cronSecret.matches(token)) {
      return Decision.login(CRON_CALLER, Set.of(CRON_GROUP));
    }
    return unauthorized(WRONG_BEARER, BEARER_CHALLENGE);
  }

  private static Decision unauthorized(String message, String challenge) {
    return Decision.refuse(401, "unauthorized", message, challenge);
  }

  private static AuthenticationStatus refuse(HttpServletResponse response, Refusal refusal) {
    try {
      response.resetBuffer();
      response.setStatus(refusal.status());
      response.setContentType("application/json");
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      response.setHeader("Cache-Control", "no-store");
      if (refusal.challenge() != null) {
        response.setHeader("WWW-Authenticate", refusal.challenge());
      }
      response.getWriter().write(refusal.json());
      // Committing the response keeps the container from replacing it with its HTML error page.
      response.flushBuffer();
    } catch (IOException e) {
      // The client went away; the refusal stands.
    }
    return AuthenticationStatus.SEND_FAILURE;
  }

  private static String pathOf(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return uri != null && context != null && uri.startsWith(context)
        ? uri.substring(context.length())
        : uri;
  }
}
