package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.Deployments;
import io.tributary.testing.TestEnvironment;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may call what, on the real WAR in Payara Micro: every protected endpoint against every kind
 * of credential, and the shape of every refusal (JSON, never the container's HTML page).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecurityIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  @ArquillianResource URL deployed;

  private final HttpClient http = HttpClient.newHttpClient();

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  enum Credentials {
    NONE(null, Access.NONE),
    WRONG_BASIC(basic(TestEnvironment.ADMIN_USERNAME, "not-the-password-at-all"), Access.NONE),
    UNKNOWN_USER_BASIC(
        basic("nobody-" + TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD),
        Access.NONE),
    RIGHT_BASIC(
        basic(TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD), Access.ADMIN),
    RIGHT_BEARER("Bearer " + TestEnvironment.CRON_SECRET, Access.CRON),
    PREVIOUS_BEARER("Bearer " + TestEnvironment.CRON_SECRET_PREVIOUS, Access.CRON),
    WRONG_BEARER("Bearer " + TestEnvironment.CRON_SECRET + "x", Access.NONE),
    // What the server sees of an expired (or ended) dashboard session: a session cookie it no longer knows.
    EXPIRED_SESSION(null, "JSESSIONID=5e551011ea0e0000000000000000", Access.NONE);

    final String header;
    final String cookie;
    final Access access;

    Credentials(String header, Access access) {
      this(header, null, access);
    }

    Credentials(String header, String cookie, Access access) {
      this.header = header;
      this.cookie = cookie;
      this.access = access;
    }
  }

  enum Access {
    NONE,
    ADMIN,
    CRON
  }

  /** An endpoint, its method, and whether the scheduler's bearer identity may call it. */
  record Endpoint(String method, String path, boolean cronAllowed) {}

  // Every API endpoint of the WAR (ids that exist nowhere: an admitted call must not change data it
  // does not own; the trigger runs over whatever connections exist, which is harmless).
  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("POST", "/api/cron/sync-integrations", true),
          new Endpoint("GET", "/api/cron/sync-integrations", true),
          new Endpoint("GET", "/api/cron/monitoring", true),
          new Endpoint("GET", "/api/cron/executions/987654321", true),
          new Endpoint("POST", "/api/cron/monitoring/cleanup", true),
          new Endpoint("GET", "/api/connections", false),
          new Endpoint("POST", "/api/connections", false),
          new Endpoint("GET", "/api/connections/987654321", false),
          new Endpoint("DELETE", "/api/connections/987654321", false),
          new Endpoint("GET", "/api/connections/987654321/records", false),
          new Endpoint("POST", "/api/connections/987654321/sync", false),
          new Endpoint("POST", "/api/connections/987654321/disable", false),
          new Endpoint("POST", "/api/connections/987654321/enable", false),
          new Endpoint("GET", "/api/integrations/github/connect?userId=security-matrix", false));

  private HttpResponse<String> callAs(String method, String path, Credentials c) throws Exception {
    return call(method, path, c.header, c.cookie);
  }

  private HttpResponse<String> call(String method, String path, String authorization)
      throws Exception {
    return call(method, path, authorization, null);
  }

  private HttpResponse<String> call(String method, String path, String authorization, String cookie)
      throws Exception {
    URI uri = Deployments.loopback(deployed).resolve(path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
    if (method.equals("POST")) {
      b.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyEndpointAdmitsExactlyTheCredentialsItShould() throws Exception {
    StringBuilder failures = new StringBuilder();
    StringBuilder matrix = new StringBuilder(String.format(java.util.Locale.ROOT, "%-62s", "endpoint \\ credentials"));
    for (Credentials c : Credentials.values()) {
      matrix.append(String.format(java.util.Locale.ROOT, " %18s", c));
    }
    for (Endpoint e : ENDPOINTS) {
      matrix.append(String.format(java.util.Locale.ROOT, "%n%-62s", e.method() + " " + e.path()));
      for (Credentials c : Credentials.values()) {
        HttpResponse<String> r = callAs(e.method(), e.path(), c);
        matrix.append(String.format(java.util.Locale.ROOT, " %18d", r.statusCode()));
        String where =
            e.method() + " " + e.path() + " with " + c + ": " + r.statusCode() + " " + r.body();
        boolean admitted = c.access == Access.ADMIN || (c.access == Access.CRON && e.cronAllowed());
        if (admitted) {
          if (r.statusCode() == 401 || r.statusCode() == 403 || r.statusCode() >= 500) {
            failures.append("expected admission, ").append(where).append('\n');
          }
        } else if (c.access == Access.CRON) {
          // Authenticated, but the cron role is not the admin role.
          if (r.statusCode() != 403 && r.statusCode() != 401) {
            failures.append("expected 403, ").append(where).append('\n');
          }
        } else if (r.statusCode() != 401) {
          failures.append("expected 401, ").append(where).append('\n');
        }
        if (r.statusCode() >= 400) {
          assertJsonError(r, where);
        }
      }
    }
    System.out.println("Security matrix (status per endpoint and credential):\n" + matrix);
    assertEquals("", failures.toString());
  }

  @Test
  void refusalsAreJsonWithABasicChallengeExceptForBearerAttempts() throws Exception {
    HttpResponse<String> none = call("GET", "/api/connections", null);
    assertEquals(401, none.statusCode());
    assertTrue(none.body().startsWith("{\"error\":\"unauthorized\""), none.body());
    assertFalse(none.body().toLowerCase().contains("<html"), none.body());
    assertEquals(
        Optional.of("Basic realm=\"tributary\""), none.headers().firstValue("WWW-Authenticate"));

    HttpResponse<String> wrongBasic =
        call("GET", "/api/cron/monitoring", Credentials.WRONG_BASIC.header);
    HttpResponse<String> unknownUser =
        call("GET", "/api/cron/monitoring", Credentials.UNKNOWN_USER_BASIC.header);
    assertEquals(401, wrongBasic.statusCode());
    // No user enumeration: an unknown admin and a wrong password get the same answer.
    assertEquals(wrongBasic.body(), unknownUser.body());
    assertEquals(
        Optional.of("Basic realm=\"tributary\""),
        wrongBasic.headers().firstValue("WWW-Authenticate"));

    HttpResponse<String> wrongBearer =
        call("POST", "/api/cron/sync-integrations", Credentials.WRONG_BEARER.header);
    assertEquals(401, wrongBearer.statusCode());
    assertJsonError(wrongBearer, "wrong bearer");
    assertFalse(
        wrongBearer.headers().allValues("WWW-Authenticate").stream()
            .anyMatch(v -> v.startsWith("Basic")),
        "a bearer attempt must not trigger a browser's Basic prompt");
  }

  @Test
  void theSchedulerIsForbiddenOutsideTheCronEndpointsInJson() throws Exception {
    HttpResponse<String> r = call("GET", "/api/connections", Credentials.RIGHT_BEARER.header);
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().startsWith("{\"error\":\"forbidden\""), r.body());
  }

  @Test
  void anAuthenticatedAdminReachesTheApplication() throws Exception {
    HttpResponse<String> r = call("GET", "/api/connections", Credentials.RIGHT_BASIC.header);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().startsWith("{\"items\":"), r.body());
    // Repeated calls are answered from the credential cache; the answer stays the same.
    assertEquals(200, call("GET", "/api/connections", Credentials.RIGHT_BASIC.header).statusCode());
  }

  @Test
  void publicResourcesStayPublic() throws Exception {
    assertEquals(200, call("GET", "/health/ready", null).statusCode());
    assertEquals(200, call("GET", "/health/ready", Credentials.WRONG_BASIC.header).statusCode());
    // The OAuth callbacks are reached without credentials (JSON 404 until the connect flow exists).
    for (String provider : List.of("github", "notion", "slack", "google_calendar")) {
      HttpResponse<String> r =
          call("GET", "/api/integrations/" + provider + "/callback?state=x&code=y", null);
      assertNotEquals(401, r.statusCode(), provider + ": " + r.body());
      assertNotEquals(403, r.statusCode(), provider + ": " + r.body());
    }
    // ...but only the exact callback paths.
    assertEquals(401, call("GET", "/api/integrations/github/callback/extra", null).statusCode());
  }

  @Test
  void theDashboardNeedsAnAdmin() throws Exception {
    // A browser without a session is sent to the login page, which brings it back afterwards.
    for (String page : List.of("/dashboard/monitoring", "/dashboard/integrations", "/dashboard/admins",
        "/dashboard/execution?id=1", "/dashboard/anything")) {
      HttpResponse<String> r = call("GET", page, null);
      assertEquals(302, r.statusCode(), page + ": " + r.body());
      assertEquals(
          Optional.of("/login?next=" + java.net.URLEncoder.encode(page, StandardCharsets.UTF_8)),
          r.headers().firstValue("Location"),
          page);
    }
    // An expired session is no session: back to the login page.
    HttpResponse<String> expired = callAs("GET", "/dashboard/monitoring", Credentials.EXPIRED_SESSION);
    assertEquals(302, expired.statusCode(), expired.body());
    assertEquals(Optional.of("/login?next=%2Fdashboard%2Fmonitoring"), expired.headers().firstValue("Location"));
    // A form post without a session cannot be repeated after the login: 303 to the login page.
    HttpResponse<String> post = call("POST", "/dashboard/monitoring", null);
    assertEquals(303, post.statusCode());
    assertEquals(Optional.of("/login"), post.headers().firstValue("Location"));
    // API clients keep their rules: the scheduler's secret is not an admin, HTTP Basic is.
    assertEquals(
        403, call("GET", "/dashboard/monitoring", Credentials.RIGHT_BEARER.header).statusCode());
    assertEquals(401, call("GET", "/dashboard/monitoring", Credentials.WRONG_BASIC.header).statusCode());
    HttpResponse<String> admin =
        call("GET", "/dashboard/monitoring", Credentials.RIGHT_BASIC.header);
    assertEquals(200, admin.statusCode(), admin.body());
    assertTrue(admin.body().contains("Sync monitoring"), admin.body());
    // The API never redirects: 401 JSON as before.
    assertEquals(401, call("GET", "/api/connections", null).statusCode());
  }

  @Test
  void theLoginPageIsPublic() throws Exception {
    HttpResponse<String> r = call("GET", "/login", null);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("jakarta.faces.ViewState"), "the login form carries a CSRF token");
  }

  @Test
  void traceIsRefusedEverywhere() throws Exception {
    for (String path : List.of("/", "/api/connections", "/api/cron/monitoring")) {
      HttpResponse<String> r = call("TRACE", path, Credentials.RIGHT_BASIC.header);
      assertTrue(
          r.statusCode() == 403 || r.statusCode() == 405,
          path + ": " + r.statusCode() + " " + r.body());
    }
  }

  @Test
  void theConfiguredAdminIsStoredAsAPbkdf2Hash() throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT password_hash FROM admin_users WHERE username = ?")) {
      ps.setString(1, TestEnvironment.ADMIN_USERNAME);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "the admin from ADMIN_PASSWORD exists");
        String hash = rs.getString(1);
        assertTrue(
            hash.startsWith("PBKDF2WithHmacSHA256:" + AdminPasswords.ITERATIONS + ":"),
            "hash format");
        assertFalse(hash.contains(TestEnvironment.ADMIN_PASSWORD));
      }
    }
  }

  private static void assertJsonError(HttpResponse<String> r, String where) {
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "Content-Type of " + where + ": " + r.headers().firstValue("Content-Type"));
    assertTrue(r.body().startsWith("{\"error\":"), where);
  }
}
