package io.tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.dashboard.SecurityHeaders;
import io.tributary.testing.Api;
import io.tributary.testing.PayaraProcess;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestEnvironment;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dashboard while PostgreSQL is stopped (a throwaway cluster of its own): a signed-in admin's
 * pages answer 503 with a page that says the database is unavailable, with {@code Retry-After}, the
 * pages' security headers and no exception text; the login page still opens; once the database is
 * started again the same session gets its pages back, without restarting the service. Any other
 * failure of a page is a generic 500 page, again without exception text.
 */
class DashboardDuringOutageIT {

  static final List<String> PAGES = List.of("/dashboard/monitoring", "/dashboard/integrations");

  /** A Java stack frame or a qualified exception class name. */
  static final Pattern STACK_FRAME =
      Pattern.compile("\\bat [\\w$]+(\\.[\\w$]+)+\\(|\\b(java|javax|jakarta|org|com|io)\\.[\\w.$]*(Exception|Error)\\b");

  @Test
  void pagesAnswer503DuringADatabaseOutageAndComeBackWithoutARestart() throws Exception {
    try (TestDatabase db = TestDatabase.createThrowaway()) {
      Map<String, String> props = new HashMap<>(TestEnvironment.serverProperties());
      props.put("database.url", db.databaseUrl());
      try (PayaraProcess app = PayaraProcess.startWith("db-outage", props, "-Xmx512m")) {
        HttpClient browser = signIn(app.base());
        for (String page : PAGES) {
          HttpResponse<String> r = get(browser, app.base(), page);
          assertEquals(200, r.statusCode(), page + " before the outage: " + r.body());
        }

        db.stopServer();
        try {
          for (String page : PAGES) {
            HttpResponse<String> r = get(browser, app.base(), page);
            String body = r.body();
            assertEquals(503, r.statusCode(), page + " during the outage: " + body);
            assertTrue(body.contains("The database is unavailable; this page will work again when it is back"), body);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page);
            assertTrue(r.headers().firstValue("Retry-After").orElse("").matches("\\d+"), page + " Retry-After");
            assertFalse(body.contains("Exception"), page + " names an exception: " + body);
            assertFalse(body.contains("at io."), page + " shows a stack frame: " + body);
            assertFalse(STACK_FRAME.matcher(body).find(), page + " shows a stack trace: " + body);
            assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null), page);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), page);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), page);
            assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null), page);
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), page);
          }
          HttpResponse<String> login = get(client(), app.base(), "/login");
          assertEquals(200, login.statusCode(), "the login page still opens: " + login.body());
          assertTrue(login.body().contains("id=\"login\""), login.body());
          Api.Reply api = app.api().asAdmin().get("/api/connections");
          assertEquals(503, api.status(), "the API as before: " + api);
          assertFalse(api.body().contains("Exception"), api.toString());
        } finally {
          db.startServer();
        }

        // The pool reconnects by itself; the same session sees its pages again.
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        for (String page : PAGES) {
          HttpResponse<String> r = get(browser, app.base(), page);
          while (r.statusCode() == 503 && Instant.now().isBefore(giveUp)) {
            Thread.sleep(500); // waiting for the service's pool to reconnect to the restarted server
            r = get(browser, app.base(), page);
          }
          assertEquals(200, r.statusCode(), page + " after the outage: " + r.body());
          assertFalse(r.body().contains("The database is unavailable"), page);
        }
        assertEquals(200, app.api().get("/health/ready").status(), "ready again without a restart");

        // A failure that is not the database being away (a table missing: a bug, a botched
        // migration) is a plain 500 page, with no detail either.
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
          s.execute("ALTER TABLE monitoring_alerts RENAME TO monitoring_alerts_hidden");
          try {
            HttpResponse<String> r = get(browser, app.base(), "/dashboard/monitoring");
            String body = r.body();
            assertEquals(500, r.statusCode(), body);
            assertTrue(body.contains("Something went wrong") && body.contains("incident"), body);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), body);
            assertFalse(r.headers().firstValue("Retry-After").isPresent(), "not an outage");
            assertFalse(body.contains("Exception") || body.contains("at io.") || body.contains("monitoring_alerts"), body);
            assertFalse(STACK_FRAME.matcher(body).find(), body);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
          } finally {
            s.execute("ALTER TABLE monitoring_alerts_hidden RENAME TO monitoring_alerts");
          }
        }
        assertEquals(200, get(browser, app.base(), "/dashboard/monitoring").statusCode());
      }
    }
  }

  static HttpClient client() {
    return Api.browser();
  }

  static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in through the login form as a browser does: the session (cookie) the pages are read with. */
  static HttpClient signIn(URI base) throws Exception {
    HttpClient browser = client();
    HttpResponse<String> page = get(browser, base, "/login");
    assertEquals(200, page.statusCode(), page.body());
    Matcher form = Pattern.compile("<form id=\"login\"[^>]*action=\"([^\"]*)\"(.*?)</form>", Pattern.DOTALL).matcher(page.body());
    assertTrue(form.find(), "the login form: " + page.body());
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher input = Pattern.compile("<input[^>]*>").matcher(form.group(2));
    while (input.find()) {
      String name = attribute(input.group(), "name");
      if (name != null && !"submit".equals(attribute(input.group(), "type"))) {
        String value = attribute(input.group(), "value");
        fields.put(name, value == null ? "" : value);
      }
    }
    fields.put("login:username", TestEnvironment.ADMIN_USERNAME);
    fields.put("login:password", TestEnvironment.ADMIN_PASSWORD);
    fields.put("login:signin", "Sign in");
    String body =
        fields.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> r =
        browser.send(
            HttpRequest.newBuilder(base.resolve(form.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(302, r.statusCode(), "signed in: " + r.body());
    return browser;
  }

  static String attribute(String tag, String name) {
    Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(tag);
    return m.find() ? m.group(1).replace("&amp;", "&") : null;
  }
}
