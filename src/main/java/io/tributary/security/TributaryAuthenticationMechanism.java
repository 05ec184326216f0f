package io.tributary.security;

import static io.tributary.platform.JsonSupport.JSON;

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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

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
 * <p>{@link #decide} holds the whole decision and is unit-tested; {@link #validateRequest} only
 * carries it out. The dashboard's form login will be one more branch in {@link #decide} for {@code
 * /dashboard/*}.
 */
@ApplicationScoped
public class TributaryAuthenticationMechanism implements HttpAuthenticationMechanism {

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

  @Inject IdentityStoreHandler identityStores;
  @Inject CronSecret cronSecret;

  public TributaryAuthenticationMechanism() {}

  TributaryAuthenticationMechanism(IdentityStoreHandler identityStores, CronSecret cronSecret) {
    this.identityStores = identityStores;
    this.cronSecret = cronSecret;
  }

  /** What to do with one request. */
  record Decision(Kind kind, String caller, Set<String> groups, Refusal refusal) {
    enum Kind {
      /** Anonymous: an unprotected resource, nothing (valid) offered. */
      PASS,
      /** Authenticated as {@code caller} in {@code groups}. */
      LOGIN,
      /** Refused with {@code refusal}. */
      REFUSE
    }

    static Decision pass() {
      return new Decision(Kind.PASS, null, Set.of(), null);
    }

    static Decision login(String caller, Set<String> groups) {
      return new Decision(Kind.LOGIN, caller, Set.copyOf(groups), null);
    }

    static Decision refuse(int status, String error, String message, String challenge) {
      return new Decision(
          Kind.REFUSE, null, Set.of(), new Refusal(status, error, message, challenge));
    }
  }

  /** A refusal: HTTP status, the JSON error's code and message, and the challenge header if any. */
  record Refusal(int status, String error, String message, String challenge) {
    String json() {
      return JSON.createObjectBuilder()
          .add("error", error)
          .add("message", message)
          .build()
          .toString();
    }
  }

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    Decision decision =
        decide(request.getHeader("Authorization"), pathOf(request), context.isProtected());
    return switch (decision.kind()) {
      case PASS -> context.doNothing();
      case LOGIN -> context.notifyContainerAboutLogin(decision.caller(), decision.groups());
      case REFUSE -> refuse(response, decision.refusal());
    };
  }

  /**
   * The decision for a request, from its {@code Authorization} header, its path inside the
   * application and whether {@code web.xml} protects it.
   */
  Decision decide(String authorization, String path, boolean protectedResource) {
    // The dashboard's form login (session, login page, redirect instead of 401) will branch off
    // here for /dashboard/*; until it exists the dashboard answers like the API.
    return decideApi(authorization, protectedResource);
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
