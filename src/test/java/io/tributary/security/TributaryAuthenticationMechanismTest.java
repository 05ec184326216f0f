package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.security.TributaryAuthenticationMechanism.Decision;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every decision of the mechanism, without a container. */
class TributaryAuthenticationMechanismTest {

  static final String SECRET = "the-cron-secret-0123456789abcdefghijklmno";
  static final String PREVIOUS = "the-old-cron-secret-0123456789abcdefghijk";

  final List<String> validatedUsers = new ArrayList<>();

  /** Knows one admin, "admin" / "correct password". */
  final IdentityStoreHandler store =
      credential -> {
        UsernamePasswordCredential c = (UsernamePasswordCredential) credential;
        validatedUsers.add(c.getCaller());
        return c.getCaller().equals("admin") && c.getPasswordAsString().equals("correct password")
            ? new CredentialValidationResult("admin", Set.of("admin"))
            : CredentialValidationResult.INVALID_RESULT;
      };

  final TributaryAuthenticationMechanism configured =
      new TributaryAuthenticationMechanism(
          store, new CronSecret(Optional.of(SECRET), Optional.of(PREVIOUS)));
  final TributaryAuthenticationMechanism secretUnset =
      new TributaryAuthenticationMechanism(
          store, new CronSecret(Optional.empty(), Optional.empty()));

  static String basic(String userColonPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(Decision d, int status, String error, String challenge) {
    assertEquals(Decision.Kind.REFUSE, d.kind(), d.toString());
    assertEquals(status, d.refusal().status());
    assertEquals(error, d.refusal().error());
    assertEquals(challenge, d.refusal().challenge());
    JsonObject json = Json.createReader(new StringReader(d.refusal().json())).readObject();
    assertEquals(Set.of("error", "message"), json.keySet());
    assertEquals(error, json.getString("error"));
  }

  private static void assertLogin(Decision d, String caller, String group) {
    assertEquals(Decision.Kind.LOGIN, d.kind(), d.toString());
    assertEquals(caller, d.caller());
    assertEquals(Set.of(group), d.groups());
  }

  @Test
  void noCredentialsOnAProtectedResourceIs401WithABasicChallenge() {
    for (String header : new String[] {null, "", "   "}) {
      assertRefused(
          configured.decide(header, "/api/connections", true),
          401,
          "unauthorized",
          "Basic realm=\"tributary\"");
    }
  }

  @Test
  void noCredentialsOnAPublicResourcePassAnonymously() {
    assertEquals(Decision.Kind.PASS, configured.decide(null, "/index.html", false).kind());
  }

  @Test
  void theRightBasicCredentialsLogInAnAdmin() {
    assertLogin(
        configured.decide(basic("admin:correct password"), "/api/connections", true),
        "admin",
        "admin");
  }

  @Test
  void passwordsMayContainColons() {
    List<String> seen = validatedUsers;
    configured.decide(basic("admin:pass:with:colons"), "/api/x", true);
    assertEquals(List.of("admin"), seen);
  }

  @Test
  void wrongBasicCredentialsAre401WithABasicChallenge() {
    Decision d = configured.decide(basic("admin:wrong password"), "/api/connections", true);
    assertRefused(d, 401, "unauthorized", "Basic realm=\"tributary\"");
    assertEquals(TributaryAuthenticationMechanism.WRONG_PASSWORD, d.refusal().message());
  }

  @Test
  void malformedBasicIs401WithoutAskingTheStore() {
    assertRefused(
        configured.decide("Basic !!!not-base64!!!", "/api/x", true),
        401,
        "unauthorized",
        "Basic realm=\"tributary\"");
    assertRefused(
        configured.decide(basic("no-colon-here"), "/api/x", true),
        401,
        "unauthorized",
        "Basic realm=\"tributary\"");
    assertRefused(
        configured.decide("Basic", "/api/x", true),
        401,
        "unauthorized",
        "Basic realm=\"tributary\"");
    assertEquals(List.of(), validatedUsers);
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    assertLogin(
        configured.decide("bearer " + SECRET, "/api/cron/monitoring", true), "cron", "cron");
    assertLogin(
        configured.decide(
            basic("admin:correct password").replace("Basic", "BASIC"), "/api/x", true),
        "admin",
        "admin");
  }

  @Test
  void theCurrentAndThePreviousCronSecretLogInTheScheduler() {
    assertLogin(
        configured.decide("Bearer " + SECRET, "/api/cron/sync-integrations", true), "cron", "cron");
    assertLogin(
        configured.decide("Bearer " + PREVIOUS, "/api/cron/sync-integrations", true),
        "cron",
        "cron");
  }

  @Test
  void aWrongBearerIs401WithoutABasicChallenge() {
    Decision d = configured.decide("Bearer " + SECRET + "x", "/api/cron/sync-integrations", true);
    assertRefused(d, 401, "unauthorized", "Bearer realm=\"tributary\"");
    assertRefused(
        configured.decide("Bearer", "/api/cron/x", true),
        401,
        "unauthorized",
        "Bearer realm=\"tributary\"");
  }

  @Test
  void anyBearerIs503WhenNoCronSecretIsConfigured() {
    for (String token : new String[] {"Bearer anything", "Bearer ", "Bearer " + SECRET}) {
      Decision d = secretUnset.decide(token, "/api/cron/sync-integrations", true);
      assertRefused(d, 503, "cron_secret_not_set", null);
      assertEquals(
          "CRON_SECRET is not set on the server: the cron endpoints refuse every call until it is.",
          d.refusal().message());
    }
  }

  @Test
  void withoutACronSecretAdminsStillGetIn() {
    assertLogin(
        secretUnset.decide(basic("admin:correct password"), "/api/cron/monitoring", true),
        "admin",
        "admin");
    assertRefused(
        secretUnset.decide(null, "/api/cron/monitoring", true),
        401,
        "unauthorized",
        "Basic realm=\"tributary\"");
  }

  @Test
  void otherSchemesAre401() {
    assertRefused(
        configured.decide("Digest username=\"admin\"", "/api/x", true),
        401,
        "unauthorized",
        "Basic realm=\"tributary\"");
    assertRefused(
        configured.decide(SECRET, "/api/cron/x", true),
        401,
        "unauthorized",
        "Basic realm=\"tributary\"");
  }

  @Test
  void onPublicResourcesValidCredentialsIdentifyTheCallerAndBadOnesAreIgnored() {
    assertLogin(
        configured.decide(
            basic("admin:correct password"), "/api/integrations/github/callback", false),
        "admin",
        "admin");
    assertLogin(configured.decide("Bearer " + SECRET, "/", false), "cron", "cron");
    assertEquals(Decision.Kind.PASS, configured.decide(basic("admin:wrong"), "/", false).kind());
    assertEquals(Decision.Kind.PASS, configured.decide("Bearer wrong", "/", false).kind());
    assertEquals(Decision.Kind.PASS, configured.decide("Negotiate xyz", "/", false).kind());
    assertEquals(Decision.Kind.PASS, secretUnset.decide("Bearer x", "/", false).kind());
  }

  @Test
  void anUnavailableIdentityStoreIs503NotAWrongPassword() {
    TributaryAuthenticationMechanism storeDown =
        new TributaryAuthenticationMechanism(
            c -> CredentialValidationResult.NOT_VALIDATED_RESULT,
            new CronSecret(Optional.of(SECRET), Optional.empty()));
    Decision d = storeDown.decide(basic("admin:correct password"), "/api/x", true);
    assertRefused(d, 503, "service_unavailable", null);
  }

  // --- the dashboard's form login ---------------------------------------------------------

  @Test
  void aBrowserWithoutSessionOnADashboardPageIsSentToTheLoginPageAndBack() {
    Decision d =
        configured.decideDashboard(null, "/dashboard/integrations", "provider=github&status=failing", "GET", true, null);
    assertEquals(Decision.Kind.REDIRECT, d.kind());
    assertEquals(
        "/login?next=%2Fdashboard%2Fintegrations%3Fprovider%3Dgithub%26status%3Dfailing", d.location());
    assertEquals(
        "/login?next=%2Fdashboard%2Fmonitoring",
        configured.decideDashboard("  ", "/dashboard/monitoring", null, "HEAD", true, null).location());
  }

  @Test
  void aPostWithoutSessionGoesToTheLoginPageWithoutComingBack() {
    Decision d = configured.decideDashboard(null, "/dashboard/monitoring", null, "POST", true, null);
    assertEquals(Decision.Kind.REDIRECT, d.kind());
    assertEquals("/login", d.location());
  }

  @Test
  void anOverlongReturnPathIsDropped() {
    String path = "/dashboard/integrations";
    String query = "user=" + "x".repeat(2000);
    assertEquals("/login", TributaryAuthenticationMechanism.loginLocation(path, query, "GET"));
  }

  @Test
  void aValidSessionIsItsAdminWithoutAskingTheStore() {
    assertLogin(
        configured.decideDashboard(null, "/dashboard/monitoring", null, "POST", true, "alice"),
        "alice",
        "admin");
    assertLogin(configured.decideDashboard(null, "/login", null, "GET", false, "alice"), "alice", "admin");
    assertEquals(List.of(), validatedUsers);
  }

  @Test
  void theLoginPageIsPublicWithoutASession() {
    assertEquals(Decision.Kind.PASS, configured.decideDashboard(null, "/login", null, "GET", false, null).kind());
  }

  @Test
  void onTheDashboardTheApiCredentialsKeepWorking() {
    assertLogin(
        configured.decideDashboard(basic("admin:correct password"), "/dashboard/monitoring", null, "GET", true, null),
        "admin",
        "admin");
    assertRefused(
        configured.decideDashboard(basic("admin:wrong"), "/dashboard/monitoring", null, "GET", true, null),
        401,
        "unauthorized",
        "Basic realm=\"tributary\"");
    // The scheduler's secret authenticates, and web.xml then refuses it the admin role (403).
    assertLogin(
        configured.decideDashboard("Bearer " + SECRET, "/dashboard/monitoring", null, "GET", true, null),
        "cron",
        "cron");
  }

  @Test
  void onlyTheDashboardAndTheLoginPageAreFormPaths() {
    for (String p : List.of("/dashboard", "/dashboard/", "/dashboard/monitoring", "/dashboard/x/y", "/login", "/login.xhtml")) {
      assertTrue(TributaryAuthenticationMechanism.isFormPath(p), p);
    }
    for (String p : List.of("/", "/api/cron/monitoring", "/dashboards", "/loginx", "/api/dashboard/x", "/index.html")) {
      assertTrue(!TributaryAuthenticationMechanism.isFormPath(p), p);
    }
  }

  @Test
  void theLoginFormsRightCredentialsStartASession() {
    Decision d =
        configured.decideFormLogin(new UsernamePasswordCredential("admin", "correct password"), null);
    assertEquals(Decision.Kind.START_SESSION, d.kind());
    assertEquals("admin", d.caller());
    assertEquals(Set.of("admin"), d.groups());
  }

  @Test
  void anUnknownAdminAndAWrongPasswordGetTheSameAnswer() {
    Decision wrong = configured.decideFormLogin(new UsernamePasswordCredential("admin", "nope"), null);
    Decision unknown =
        configured.decideFormLogin(new UsernamePasswordCredential("nobody", "correct password"), null);
    assertEquals(Decision.Kind.FORM_FAILURE, wrong.kind());
    assertEquals(wrong, unknown);
    assertEquals(TributaryAuthenticationMechanism.WRONG_PASSWORD, wrong.failureMessage());
  }

  @Test
  void aBlockedAddressIsRefusedWithoutCheckingThePassword() {
    Decision d =
        configured.decideFormLogin(
            new UsernamePasswordCredential("admin", "correct password"), java.time.Duration.ofSeconds(61));
    assertEquals(Decision.Kind.FORM_FAILURE, d.kind());
    assertEquals("Too many failed sign-ins from your address. Try again in 2 minute(s).", d.failureMessage());
    assertEquals(List.of(), validatedUsers);
  }

  @Test
  void anUnavailableStoreIsNotAWrongPasswordOnTheFormEither() {
    TributaryAuthenticationMechanism storeDown =
        new TributaryAuthenticationMechanism(
            c -> CredentialValidationResult.NOT_VALIDATED_RESULT,
            new CronSecret(Optional.of(SECRET), Optional.empty()));
    Decision d = storeDown.decideFormLogin(new UsernamePasswordCredential("admin", "x"), null);
    assertEquals(TributaryAuthenticationMechanism.STORE_UNAVAILABLE, d.failureMessage());
  }

  @Test
  void theApiDecisionIsUnchangedForDashboardPathsWhenAskedDirectly() {
    // decide() is the API's rule set; validateRequest sends dashboard paths to decideDashboard.
    assertRefused(
        configured.decide(null, "/api/connections", true), 401, "unauthorized", "Basic realm=\"tributary\"");
  }

  @Test
  void refusalsNeverEchoTheCredential() {
    Decision d = configured.decide("Bearer " + SECRET + "x", "/api/cron/x", true);
    assertTrue(!d.refusal().json().contains(SECRET));
    Decision b = configured.decide(basic("admin:wrong password"), "/api/x", true);
    assertTrue(!b.refusal().json().contains("wrong password"));
    assertNull(b.caller());
  }
}
