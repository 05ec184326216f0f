package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.Browsers;
import io.tributary.testing.Deployments;
import io.tributary.testing.TestEnvironment;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium through Selenium) against the WAR in
 * Payara Micro on PostgreSQL and the provider simulator: the login, the redirect of every page
 * without a session, alerts after injected failures, a revoked grant on the integrations page,
 * "run now", admin accounts, CSRF (a post without a valid view state), the security headers and the
 * absence of inline script. Screenshots of both pages at laptop and phone width go to {@code
 * target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DashboardIT {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final String[] USERS = {"dash-ada", "dash-ben", "dash-cyd"};

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  static ChromeDriver browser;

  @ArquillianResource URL deployed;
  URI base;
  Api admin;
  Api cron;
  ProviderSimulator sim;
  final Map<String, Account> accounts = new LinkedHashMap<>();
  final Map<String, Long> connectionIds = new LinkedHashMap<>();
  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startBrowser() throws Exception {
    // Installs Debian's chromium + chromium-driver when missing (as root), else fails: never skipped.
    Browsers.ensureChromium();
    browser = Browsers.headless(Files.createTempDirectory("dashboard-it-chromium"), 1366, 768);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    base = Deployments.loopback(deployed);
    Api api = new Api(base);
    admin = api.asAdmin();
    cron = api.asCron();
    sim = TestEnvironment.simulator();
    // This class's own data only (IT classes share the database and run one after another).
    // DELETE, not TRUNCATE: row locks only, so this never deadlocks with the timers' reads.
    sql(
        "DELETE FROM monitoring_notifications",
        "DELETE FROM monitoring_alerts",
        "DELETE FROM execution_provider_figures",
        "DELETE FROM cron_job_executions",
        "DELETE FROM connections",
        "DELETE FROM app_users",
        "UPDATE sync_job_locks SET execution_id = NULL");
    // GitHub (the 15-minute job) and Notion (the only provider of the 30-minute job here) per user.
    for (String user : USERS) {
      for (String provider : List.of("github", "notion")) {
        Account account = sim.account(provider, user + "-" + provider + "-" + System.nanoTime());
        account.seed(2);
        Tokens t = account.issueTokens(Duration.ofHours(1), true);
        Api.Reply r =
            admin.post(
                "/api/connections",
                "{\"userId\":\"" + user + "\",\"provider\":\"" + provider + "\",\"accessToken\":\""
                    + t.accessToken() + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
        assertEquals(201, r.status(), r.toString());
        accounts.put(user + "/" + provider, account);
        connectionIds.put(user + "/" + provider, r.json().getJsonNumber("id").longValue());
      }
    }
    browser.manage().window().setSize(new Dimension(1366, 768));
    browser.get(url("/login"));
    browser.manage().deleteAllCookies();
  }

  @AfterEach
  void tearDown() throws Exception {
    List.of("github", "notion").forEach(p -> sim.faults(p).clear());
    // Leave no run going into the next test.
    waitFor("no running execution", () -> count("SELECT COUNT(*) FROM cron_job_executions WHERE status = 'running'") == 0);
  }

  // --- login ---------------------------------------------------------------------------------

  @Test
  void loginFailsWithAWrongPasswordAndSucceedsWithTheRightOne() throws Exception {
    browser.get(url("/dashboard/integrations?provider=notion"));
    assertEquals("/login", URI.create(browser.getCurrentUrl()).getPath(), "no session: the login page");

    long t0 = System.nanoTime();
    submitLogin(TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD + "-wrong");
    long wrongMs = (System.nanoTime() - t0) / 1_000_000;
    String wrong = text("#messages");
    assertEquals("/login", URI.create(browser.getCurrentUrl()).getPath());
    assertEquals("The username or password is wrong.", wrong);
    assertTrue(wrongMs >= 900, "a failed login is answered slowly: " + wrongMs + " ms");
    assertEquals("", browser.findElement(By.id("login:password")).getAttribute("value"), "never echoed");

    submitLogin("nobody-" + TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD);
    assertEquals(wrong, text("#messages"), "an unknown admin gets the same answer as a wrong password");

    submitLogin(TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD);
    waitFor("back on the page asked for", () -> browser.getCurrentUrl().endsWith("/dashboard/integrations?provider=notion"));
    assertTrue(text(".who").contains("Signed in as " + TestEnvironment.ADMIN_USERNAME));
    assertEquals("Notion", browser.findElement(By.cssSelector("#f-provider option[selected]")).getText());

    clickAndWait(By.id("signout:go"));
    waitFor("signed out", () -> browser.getCurrentUrl().contains("/login?signedOut=true"));
    assertTrue(browser.getPageSource().contains("You are signed out."));
    browser.get(url("/dashboard/monitoring"));
    assertEquals("/login", URI.create(browser.getCurrentUrl()).getPath(), "the session is gone");
  }

  @Test
  void everyDashboardPageRedirectsToTheLoginWithoutASessionAndTheApiAnswers401() throws Exception {
    for (String page : List.of("/dashboard/monitoring", "/dashboard/integrations", "/dashboard/admins", "/dashboard/execution?id=1")) {
      HttpResponse<String> r = get(page, null);
      assertEquals(302, r.statusCode(), page);
      assertEquals("/login?next=" + URLEncoder.encode(page, StandardCharsets.UTF_8), r.headers().firstValue("Location").orElse(""), page);
      browser.get(url(page));
      assertEquals("/login", URI.create(browser.getCurrentUrl()).getPath(), page + " in the browser");
    }
    // The dashboard's front door leads there too.
    HttpResponse<String> home = get("/dashboard", null);
    assertEquals(302, home.statusCode());
    signIn();
    browser.get(url("/dashboard/"));
    assertEquals("/dashboard/monitoring", URI.create(browser.getCurrentUrl()).getPath());
    HttpResponse<String> api = get("/api/connections", null);
    assertEquals(401, api.statusCode());
    assertTrue(api.body().startsWith("{\"error\":\"unauthorized\""), api.body());
  }

  // --- monitoring ----------------------------------------------------------------------------

  @Test
  void threeFailedRunsOfAJobShowTheConsecutiveFailureAlert() throws Exception {
    // A day of earlier runs, so the charts have lines to draw (the real runs below are the last).
    seedHistory(23);
    sim.faults("notion").down(true);
    for (int run = 1; run <= 3; run++) {
      Api.Reply r = cron.post("/api/cron/sync-integrations?interval=30min", null);
      assertEquals(200, r.status(), r.toString());
      assertEquals("failure", r.json().getString("status"), "every sync of the run failed: " + r);
      // The backoff would keep the failing connections out of the next run; time passes instead.
      sql("UPDATE connections SET next_attempt_at = NULL");
    }
    signIn();
    browser.get(url("/dashboard/monitoring"));
    // Alerts are evaluated right after each run, off the request thread: reload until it is shown.
    waitFor("the consecutive-failure alert", () -> {
      browser.navigate().refresh();
      return text(".alerts").contains("Consecutive failures");
    });
    WebElement alert =
        browser.findElements(By.cssSelector(".alerts .alert")).stream()
            .filter(e -> e.getText().contains("Consecutive failures"))
            .findFirst()
            .orElseThrow();
    assertTrue(alert.getText().contains("critical"), alert.getText());
    assertTrue(alert.getText().contains("sync-integrations-30min"), alert.getText());
    assertTrue(alert.getText().contains("the last 3 executions failed"), alert.getText());
    assertTrue(alert.getText().contains("What to do:"), alert.getText());
    assertTrue(alert.getAttribute("class").contains("alert-critical"));
    long latest = count("SELECT MAX(id) FROM cron_job_executions WHERE job_name = 'sync-integrations-30min'");
    assertEquals(url("/dashboard/execution?id=" + latest), alert.findElement(By.cssSelector("a")).getAttribute("href"));

    // The job's statistics and the executions table say the same, in words.
    WebElement job = row("Every 30 minutes");
    assertTrue(job.getText().endsWith("failure 3"), "last status failure, 3 in a row: " + job.getText());
    assertEquals(3, browser.findElements(By.cssSelector("#executions-table tbody .status-failure")).size());
    assertEquals(2, browser.findElements(By.cssSelector("figure.chart svg[role=img]")).size(), "two charts");
    String rateChart = browser.findElement(By.cssSelector("figure.chart svg")).getAttribute("outerHTML");
    assertTrue(rateChart.contains("stroke=\"#24292f\"") && rateChart.matches("(?s).*d=\"M[0-9. ]+L.*"), "GitHub's line: " + rateChart);
    assertTrue(browser.findElement(By.cssSelector("figure.chart desc")).getAttribute("textContent").contains("Notion latest 0 %"),
        "the description says the latest rate in words");
    assertTrue(browser.findElements(By.cssSelector("details.card tbody tr")).size() >= 20, "the figures as a table, one row per hour");

    // The alert's link leads to the execution, with Notion's failures and the error.
    clickAndWait(alert.findElement(By.cssSelector("a")));
    waitFor("the execution page", () -> browser.getCurrentUrl().contains("/dashboard/execution?id=" + latest));
    WebElement notion = row("Notion");
    assertTrue(notion.getText().matches("(?s)Notion\\s+3\\s+0\\s+3\\s+0.*"), notion.getText());
    assertTrue(text("#error-list").startsWith("notion:"), text("#error-list"));

    // The integrations page shows the failing connections.
    browser.get(url("/dashboard/integrations?provider=notion&status=failing"));
    assertEquals(3, browser.findElements(By.cssSelector("#conns tbody .status-failing")).size());
    assertTrue(text("#conns").contains("3 failed in a row"), text("#conns"));
    screenshots("monitoring", "/dashboard/monitoring?refresh=off");
  }

  @Test
  void runNowCreatesAnExecutionThatAppearsInTheTableAndASecondOneWaits() throws Exception {
    // Slow GitHub down so the run is still going when the second click comes.
    sim.faults("github").latency(Duration.ofMillis(1500));
    signIn();
    browser.get(url("/dashboard/monitoring?range=1h"));
    clickAndWait(By.id("run15:go"));
    waitFor("the run's message", () -> text("#messages").contains("Started sync-integrations-15min as execution"));
    Matcher m = Pattern.compile("execution (\\d+)").matcher(text("#messages"));
    assertTrue(m.find());
    String id = m.group(1);
    assertTrue(browser.getCurrentUrl().endsWith("/dashboard/monitoring?range=1h"), "back on the same range (GET): " + browser.getCurrentUrl());
    WebElement row = browser.findElement(By.xpath("//table[@id='executions-table']//tbody/tr[th/a[normalize-space(.)='" + id + "']]"));
    assertTrue(row.getText().contains("Every 15 minutes"), row.getText());
    assertTrue(row.getText().contains("Manual"), row.getText());

    clickAndWait(By.id("run15:go"));
    waitFor("the overlap message", () -> text("#messages").contains("still going"));
    assertEquals(
        "A sync-integrations-15min run is still going (execution " + id + "); wait for it to finish.",
        text("#messages"));
    assertEquals(1, count("SELECT COUNT(*) FROM cron_job_executions"), "no second run");

    sim.faults("github").clear();
    waitFor("the run to finish", () -> {
      browser.navigate().refresh();
      return text("#executions-table").contains("success");
    });
    assertEquals("success", browser.findElement(By.cssSelector("#executions-table tbody tr .status")).getText());
  }

  // --- integrations --------------------------------------------------------------------------

  @Test
  void aRevokedGrantShowsAsNeedsReauthOnTheIntegrationsPage() throws Exception {
    // A run of each job first, so the page has figures to show.
    assertEquals(200, cron.post("/api/cron/sync-integrations?interval=15min", null).status());
    assertEquals(200, cron.post("/api/cron/sync-integrations?interval=30min", null).status());
    accounts.get("dash-ben/github").revokeGrant();
    long id = connectionIds.get("dash-ben/github");
    signIn();
    browser.get(url("/dashboard/integrations?user=dash-ben"));
    assertEquals(2, browser.findElements(By.cssSelector("#conns tbody tr")).size(), "the user's two connections");
    clickAndWait(By.cssSelector("[aria-label='Sync connection " + id + " now']"));
    waitFor("the sync's message", () -> text("#messages").contains("needs re-authorisation"));
    assertTrue(browser.getCurrentUrl().endsWith("/dashboard/integrations?user=dash-ben"), "same filters after the action");
    WebElement row = row(Long.toString(id));
    assertTrue(row.getText().contains("Needs re-auth"), row.getText());
    assertTrue(row.getText().contains("invalid_grant") || row.getText().toLowerCase().contains("revoked")
        || row.getText().toLowerCase().contains("refused"), row.getText());
    assertTrue(row.findElements(By.cssSelector("[aria-label^='Sync connection']")).isEmpty(), "no sync for it until reconnected");

    // By status: only this one; by provider health: counted.
    browser.get(url("/dashboard/integrations?status=needs_reauth"));
    List<WebElement> rows = browser.findElements(By.cssSelector("#conns tbody tr"));
    assertEquals(1, rows.size());
    assertTrue(rows.get(0).getText().startsWith(Long.toString(id)), rows.get(0).getText());
    WebElement github = row("GitHub");
    assertTrue(github.getText().contains("degraded"), github.getText());

    // Disable and enable from the table.
    browser.get(url("/dashboard/integrations?user=dash-ada"));
    long ada = connectionIds.get("dash-ada/notion");
    clickAndWait(By.cssSelector("[aria-label='Disable connection " + ada + "']"));
    waitFor("disabled", () -> text("#messages").contains("is disabled"));
    assertTrue(row(Long.toString(ada)).getText().contains("Disabled"));
    assertEquals("disabled", string("SELECT status FROM connections WHERE id = " + ada));
    clickAndWait(By.cssSelector("[aria-label='Enable connection " + ada + "']"));
    waitFor("enabled", () -> text("#messages").contains("is enabled again"));
    assertEquals("active", string("SELECT status FROM connections WHERE id = " + ada));

    screenshots("integrations", "/dashboard/integrations");
  }

  @Test
  void theIntegrationsTablePagesThroughConnections() throws Exception {
    signIn();
    browser.get(url("/dashboard/integrations?size=25&provider=github"));
    assertEquals(3, browser.findElements(By.cssSelector("#conns tbody tr")).size());
    assertTrue(browser.findElements(By.cssSelector("a[rel=next]")).isEmpty(), "one page only");
    // A page after the second-to-last id shows the last one and links back.
    List<Long> github =
        connectionIds.entrySet().stream().filter(e -> e.getKey().endsWith("/github")).map(Map.Entry::getValue).sorted().toList();
    browser.get(url("/dashboard/integrations?provider=github&after=" + github.get(1)));
    assertEquals(1, browser.findElements(By.cssSelector("#conns tbody tr")).size());
    clickAndWait(By.cssSelector("a[rel=prev]"));
    waitFor("the previous page", () -> browser.getCurrentUrl().contains("before=" + github.get(2)));
    assertEquals(2, browser.findElements(By.cssSelector("#conns tbody tr")).size());
  }

  // --- admins --------------------------------------------------------------------------------

  @Test
  void adminsAreAddedChangedAndRemovedFromTheDashboard() throws Exception {
    String name = "ops-" + Long.toString(System.nanoTime(), 36);
    String first = "first password " + name;
    String second = "second password " + name;
    signIn();
    browser.get(url("/dashboard/admins"));
    assertTrue(browser.getPageSource().contains("Request refused"), "the admins page opens only from the dashboard's link");
    browser.get(url("/dashboard/monitoring"));
    clickAndWait(By.id("nav-admins"));
    waitFor("the admins page", () -> browser.getPageSource().contains("Add an admin"));
    browser.findElement(By.id("add:username")).sendKeys(name);
    browser.findElement(By.id("add:password")).sendKeys(first);
    browser.findElement(By.id("add:again")).sendKeys(first);
    clickAndWait(By.id("add:create"));
    waitFor("added", () -> text("#messages").contains("Admin '" + name + "' added"));
    assertTrue(text("#list").contains(name));

    signOut();
    String otherSession = httpLogin(name, first);
    assertEquals(200, get("/dashboard/monitoring", otherSession).statusCode(), "a second session of the new admin");
    signIn(name, first);
    clickAndWait(By.id("nav-admins"));
    waitFor("the admins page", () -> browser.getPageSource().contains("Change your password"));
    assertTrue(text("#list").contains(name + " (you)"));
    browser.findElement(By.id("password:current")).sendKeys(first);
    browser.findElement(By.id("password:new")).sendKeys(second);
    browser.findElement(By.id("password:again")).sendKeys(second);
    clickAndWait(By.id("password:change"));
    waitFor("changed", () -> text("#messages").contains("Your password is changed"));
    browser.get(url("/dashboard/monitoring"));
    assertEquals("/dashboard/monitoring", URI.create(browser.getCurrentUrl()).getPath(), "this session continues");
    assertEquals(302, get("/dashboard/monitoring", otherSession).statusCode(), "the other session ended with the old password");

    signOut();
    submitLogin(name, first);
    assertEquals("The username or password is wrong.", text("#messages"), "the old password is gone");
    signIn(name, second);
    signOut();
    String removedSession = httpLogin(name, second);
    assertEquals(200, get("/dashboard/monitoring", removedSession).statusCode());

    signIn();
    clickAndWait(By.id("nav-admins"));
    waitFor("the admins page", () -> browser.getPageSource().contains("Current admins"));
    clickAndWait(By.cssSelector("[aria-label='Remove admin " + name + "']"));
    waitFor("removed", () -> text("#messages").contains("Admin '" + name + "' removed"));
    assertFalse(text("#list").contains(name));
    assertEquals(302, get("/dashboard/monitoring", removedSession).statusCode(), "a removed admin's sessions end");
    assertTrue(browser.findElements(By.cssSelector("[aria-label='Remove admin " + TestEnvironment.ADMIN_USERNAME + "']")).isEmpty(),
        "nobody can remove themselves");
  }

  // --- CSRF, headers, no inline script ---------------------------------------------------------

  @Test
  void aDashboardFormPostWithoutAValidViewStateIsRejected() throws Exception {
    signIn();
    browser.get(url("/dashboard/monitoring"));
    String session = "JSESSIONID=" + browser.manage().getCookieNamed("JSESSIONID").getValue();
    String realToken =
        browser.findElement(By.cssSelector("#run15 input[name='jakarta.faces.ViewState']")).getAttribute("value");

    Map<String, String> form = new LinkedHashMap<>();
    form.put("run15", "run15");
    form.put("run15:go", "Run the 15-minute job now");
    form.put("jakarta.faces.ViewState", "-1234567890:987654321");
    HttpResponse<String> forged = post("/dashboard/monitoring", session, form);
    assertEquals(403, forged.statusCode(), forged.body());
    assertTrue(forged.body().contains("Request refused"), forged.body());
    assertEquals("no-store", forged.headers().firstValue("Cache-Control").orElse(""));

    form.remove("jakarta.faces.ViewState");
    HttpResponse<String> missing = post("/dashboard/monitoring", session, form);
    assertEquals(403, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("Nothing was changed."), missing.body());
    assertEquals(0, count("SELECT COUNT(*) FROM cron_job_executions"), "neither post started a run");

    // Another session's valid token is not valid in this one.
    HttpResponse<String> otherSession = post("/dashboard/monitoring", session + "x", withToken(form, realToken));
    assertEquals(303, otherSession.statusCode(), "no valid session: to the login page, nothing done");
    assertEquals(0, count("SELECT COUNT(*) FROM cron_job_executions"));

    // The genuine form still works (with its token, in its session).
    HttpResponse<String> genuine = post("/dashboard/monitoring", session, withToken(form, realToken));
    assertEquals(302, genuine.statusCode(), genuine.body());
    waitFor("the genuine run", () -> count("SELECT COUNT(*) FROM cron_job_executions") == 1);

    // The login form is protected too (no login CSRF).
    HttpResponse<String> login =
        post("/login", null, Map.of("login", "login", "login:username", TestEnvironment.ADMIN_USERNAME,
            "login:password", TestEnvironment.ADMIN_PASSWORD, "login:signin", "Sign in",
            "jakarta.faces.ViewState", "1:2"));
    assertEquals(403, login.statusCode(), "a login post without the login page's token is refused");
  }

  @Test
  void aPasswordWithNonAsciiCharactersWorks() throws Exception {
    String name = "intl-" + Long.toString(System.nanoTime(), 36);
    String password = "pässwörd-ünïcödé-€-" + name;
    signIn();
    clickAndWait(By.id("nav-admins"));
    browser.findElement(By.id("add:username")).sendKeys(name);
    browser.findElement(By.id("add:password")).sendKeys(password);
    browser.findElement(By.id("add:again")).sendKeys(password);
    clickAndWait(By.id("add:create"));
    waitFor("added", () -> text("#messages").contains("Admin '" + name + "' added"));
    signOut();
    try {
      signIn(name, password);
      assertEquals("/dashboard/monitoring", URI.create(browser.getCurrentUrl()).getPath());
      assertEquals(200, admin.withAuthorization(Api.basic(name, password)).get("/api/connections").status(),
          "the same password over HTTP Basic: both paths read it alike");
    } finally {
      sql("DELETE FROM admin_users WHERE username = '" + name + "'");
    }
  }

  @Test
  void htmlPagesCarryTheSecurityHeadersAndNoInlineScriptOrStyle() throws Exception {
    signIn();
    String session = "JSESSIONID=" + browser.manage().getCookieNamed("JSESSIONID").getValue();
    cron.post("/api/cron/sync-integrations?interval=15min", null);
    Pattern inlineHandler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    Pattern styleAttribute = Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
    for (String page : List.of("/dashboard/monitoring", "/dashboard/integrations", "/dashboard/execution?id=1", "/login", "/")) {
      HttpResponse<String> r = get(page, page.startsWith("/dashboard") ? session : null);
      assertEquals(200, r.statusCode(), page);
      assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(""), page);
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), page);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), page);
      assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""), page);
      if (!page.equals("/")) {
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), page);
      }
      String html = r.body();
      assertFalse(html.toLowerCase().contains("<script"), page + " has a script element");
      assertFalse(inlineHandler.matcher(html).find(), page + " has an inline event handler");
      assertFalse(styleAttribute.matcher(html).find(), page + " has a style attribute");
      assertFalse(html.contains("javascript:"), page);
    }
    // Under that CSP the page is still styled: the stylesheet (same origin) was applied.
    browser.get(url("/dashboard/monitoring"));
    assertEquals("rgba(22, 32, 46, 1)", browser.findElement(By.cssSelector("header.top")).getCssValue("background-color"));
    assertEquals(0L, ((JavascriptExecutor) browser).executeScript("return document.scripts.length"));
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * Finished runs of both jobs, one per hour over the last {@code hours} hours, with their provider
   * breakdown and the per-provider figures the monitoring service derives from it; Notion gets
   * slower and fails more towards the end.
   */
  static void seedHistory(int hours) throws Exception {
    Instant now = Instant.now();
    try (Connection c = TestEnvironment.database().connect();
        java.sql.PreparedStatement run =
            c.prepareStatement(
                "INSERT INTO cron_job_executions (job_name, interval_name, trigger_type, slot_start, started_at,"
                    + " finished_at, duration_ms, status, users_processed, providers_synced, success_count,"
                    + " failure_count, records_changed, provider_breakdown, instance_id)"
                    + " VALUES (?, ?, 'schedule', ?, ?, ?, ?, ?, 3, ?, ?, ?, ?, ?, 'seeded-history')",
                new String[] {"id"});
        java.sql.PreparedStatement figures =
            c.prepareStatement(
                "INSERT INTO execution_provider_figures (execution_id, provider, job_name, started_at, syncs,"
                    + " successes, failures, deferred, duration_ms_total, records_changed, calls)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")) {
      for (int h = hours; h >= 1; h--) {
        Instant slot = now.minus(Duration.ofHours(h)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        for (String job : List.of("15min", "30min")) {
          List<String> providers = job.equals("15min") ? List.of("github") : List.of("notion", "slack", "google_calendar");
          Instant started = slot.plus(Duration.ofMinutes(job.equals("15min") ? 0 : 30));
          StringBuilder breakdown = new StringBuilder("{");
          int syncs = 0;
          int ok = 0;
          long total = 0;
          List<Object[]> rows = new java.util.ArrayList<>();
          for (String p : providers) {
            int failed = p.equals("notion") && h <= 6 ? Math.min(3, 7 - h) / 2 : 0;
            long avg =
                switch (p) {
                  case "github" -> 220 + 60 * Math.round(Math.sin(h / 3.0) * 2);
                  case "notion" -> 140 + (h <= 6 ? (7 - h) * 90L : 0) + 15 * (h % 4);
                  case "slack" -> 480 + 40 * (h % 5);
                  default -> 90 + 10 * (h % 3);
                };
            breakdown.append(breakdown.length() > 1 ? "," : "").append('"').append(p)
                .append("\":{\"syncs\":3,\"successes\":").append(3 - failed).append(",\"failures\":").append(failed)
                .append(",\"deferred\":0,\"averageDurationMs\":").append(avg)
                .append(",\"recordsChanged\":").append(h % 4).append(",\"calls\":6}");
            syncs += 3;
            ok += 3 - failed;
            total += avg * 3;
            rows.add(new Object[] {p, 3 - failed, failed, avg * 3, h % 4});
          }
          breakdown.append('}');
          String jobName = "sync-integrations-" + job;
          run.setString(1, jobName);
          run.setString(2, job);
          run.setObject(3, java.time.OffsetDateTime.ofInstant(started, java.time.ZoneOffset.UTC));
          run.setObject(4, java.time.OffsetDateTime.ofInstant(started, java.time.ZoneOffset.UTC));
          run.setObject(5, java.time.OffsetDateTime.ofInstant(started.plusMillis(total / providers.size() + 150), java.time.ZoneOffset.UTC));
          run.setLong(6, total / providers.size() + 150);
          run.setString(7, ok == syncs ? "success" : ok == 0 ? "failure" : "partial");
          run.setInt(8, syncs);
          run.setInt(9, ok);
          run.setInt(10, syncs - ok);
          run.setLong(11, 0);
          run.setString(12, breakdown.toString());
          run.executeUpdate();
          long id;
          try (ResultSet keys = run.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
          for (Object[] r : rows) {
            figures.setLong(1, id);
            figures.setString(2, (String) r[0]);
            figures.setString(3, jobName);
            figures.setObject(4, java.time.OffsetDateTime.ofInstant(started, java.time.ZoneOffset.UTC));
            figures.setInt(5, 3);
            figures.setInt(6, (Integer) r[1]);
            figures.setInt(7, (Integer) r[2]);
            figures.setLong(8, (Long) r[3]);
            figures.setLong(9, ((Integer) r[4]).longValue());
            figures.setLong(10, 6);
            figures.executeUpdate();
          }
        }
      }
    }
  }

  String url(String path) {
    return base.resolve(path.substring(1)).toString();
  }

  void signIn() {
    signIn(TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD);
  }

  void signIn(String user, String password) {
    browser.get(url("/login"));
    submitLogin(user, password);
    waitFor("signed in as " + user, () -> text(".who").contains("Signed in as " + user));
  }

  void signOut() {
    clickAndWait(By.id("signout:go"));
    waitFor("signed out", () -> browser.getCurrentUrl().contains("/login"));
  }

  /** Clicks {@code element} and waits for the page it leads to (the old page goes stale). */
  static void clickAndWait(WebElement element) {
    WebElement page = currentPage();
    element.click();
    new WebDriverWait(browser, WAIT).until(replaced(page));
  }

  /**
   * The old page is gone. Chromium reports a replaced document's node either as a stale element or,
   * when the swap is under way, as "does not belong to the document": both mean the page changed
   * ({@link ExpectedConditions#stalenessOf} only knows the first).
   */
  static org.openqa.selenium.support.ui.ExpectedCondition<Boolean> replaced(WebElement page) {
    return d -> {
      try {
        page.isEnabled();
        return false;
      } catch (org.openqa.selenium.WebDriverException e) {
        if (detached(e)) {
          return true;
        }
        throw e;
      }
    };
  }

  static boolean detached(org.openqa.selenium.WebDriverException e) {
    return e instanceof org.openqa.selenium.StaleElementReferenceException
        || String.valueOf(e.getMessage()).contains("does not belong to the document");
  }

  /** The current document's root (retried: right after a navigation Chromium may still swap it). */
  static WebElement currentPage() {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.ignoring(org.openqa.selenium.WebDriverException.class);
    return wait.until(d -> {
      WebElement html = d.findElement(By.tagName("html"));
      html.getTagName(); // fails while the node is being replaced
      return html;
    });
  }

  /**
   * Finds and clicks, then waits for the next page. Looked up again when Chromium reports the
   * element detached before the click was dispatched (it sometimes still swaps the document just
   * after a load): nothing was clicked then, so trying again cannot submit twice.
   */
  static void clickAndWait(By by) {
    for (int attempt = 1; ; attempt++) {
      WebElement page = currentPage();
      try {
        browser.findElement(by).click();
      } catch (org.openqa.selenium.WebDriverException e) {
        if (detached(e) && attempt < 5) {
          continue;
        }
        throw e;
      }
      new WebDriverWait(browser, WAIT).until(replaced(page));
      return;
    }
  }

  void submitLogin(String user, String password) {
    if (!URI.create(browser.getCurrentUrl()).getPath().equals("/login")) {
      browser.get(url("/login"));
    }
    WebElement u = browser.findElement(By.id("login:username"));
    u.clear();
    u.sendKeys(user);
    WebElement p = browser.findElement(By.id("login:password"));
    p.clear();
    p.sendKeys(password);
    clickAndWait(By.id("login:signin"));
  }

  static String text(String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    return found.stream().map(WebElement::getText).collect(Collectors.joining("\n")).strip();
  }

  /** What the page shows (its messages first), for a failed wait to say what it saw instead. */
  static String pageText() {
    try {
      String body = browser.findElement(By.tagName("body")).getText();
      return "messages: [" + text("#messages") + "]\nbody: " + body.substring(0, Math.min(body.length(), 2000));
    } catch (RuntimeException e) {
      return "(page text unavailable: " + e + ")";
    }
  }

  /** The table row whose header cell starts with {@code head}. */
  WebElement row(String head) {
    return browser.findElements(By.cssSelector("tbody tr")).stream()
        .filter(r -> !r.findElements(By.cssSelector("th")).isEmpty() && heads(r.findElement(By.cssSelector("th")).getText(), head))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + head + " in " + browser.getPageSource()));
  }

  static boolean heads(String cell, String head) {
    return cell.equals(head) || cell.startsWith(head + "\n") || cell.startsWith(head + " ");
  }

  /** Sizes the window so that its viewport (what a screenshot shows) is width × height. */
  static void viewport(int width, int height) {
    browser.manage().window().setSize(new Dimension(width, height));
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // Headless Chromium's window has a frame above the page; the width is the page's already.
    long dh = height - (Long) js.executeScript("return window.innerHeight");
    if (dh > 0) {
      browser.manage().window().setSize(new Dimension(width, height + (int) dh));
    }
  }

  void screenshots(String name, String page) throws Exception {
    for (int[] size : new int[][] {{1366, 768}, {390, 844}}) {
      browser.get(url(page));
      viewport(size[0], size[1]);
      browser.get(url(page));
      String stem = name + "-" + size[0] + "x" + size[1];
      Files.write(SCREENSHOTS.resolve(stem + ".png"), browser.getScreenshotAs(OutputType.BYTES));
      JavascriptExecutor js = (JavascriptExecutor) browser;
      long height = (Long) js.executeScript("return document.documentElement.scrollHeight");
      viewport(size[0], (int) Math.min(height, 6000));
      Files.write(SCREENSHOTS.resolve(stem + "-full.png"), browser.getScreenshotAs(OutputType.BYTES));
      // At phone width nothing may stick out of the page sideways (tables scroll inside their frame).
      long overflow = (Long) ((JavascriptExecutor) browser)
          .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      Object culprits = ((JavascriptExecutor) browser).executeScript(
          "var w = document.documentElement.clientWidth, out = [];"
              + "document.querySelectorAll('body *').forEach(function (e) {"
              + "  var r = e.getBoundingClientRect();"
              + "  if (r.right > w + 1 && !e.closest('.table-wrap')) out.push(e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(r.right));"
              + "}); return out.slice(0, 10).join(', ');");
      assertEquals(0L, overflow, stem + " scrolls sideways: " + culprits);
    }
    browser.manage().window().setSize(new Dimension(1366, 768));
  }

  /** Signs in without the browser (a second session); returns its cookie. */
  String httpLogin(String user, String password) throws Exception {
    HttpResponse<String> page = get("/login", null);
    String cookie = sessionCookie(page);
    Matcher token = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    assertTrue(token.find(), page.body());
    HttpResponse<String> r =
        post("/login", cookie, Map.of("login", "login", "login:username", user, "login:password", password,
            "login:signin", "Sign in", "jakarta.faces.ViewState", token.group(1)));
    assertEquals(302, r.statusCode(), "signed in as " + user);
    String renewed = sessionCookie(r);
    assertFalse(renewed.equals(cookie), "a login gets a new session id");
    return renewed;
  }

  static String sessionCookie(HttpResponse<?> r) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("JSESSIONID="))
        .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie in " + r.headers().map()));
  }

  HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String cookie, Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> withToken(Map<String, String> form, String token) {
    Map<String, String> m = new LinkedHashMap<>(form);
    m.put("jakarta.faces.ViewState", token);
    return m;
  }

  static void waitFor(String what, Supplier<Boolean> condition) {
    Instant giveUp = Instant.now().plus(WAIT);
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (RuntimeException e) {
        // The page may be mid-navigation; look again.
      }
      if (Instant.now().isAfter(giveUp)) {
        throw new AssertionError("Gave up waiting for " + what + "; page: " + browser.getCurrentUrl() + "\n" + pageText());
      }
      try {
        Thread.sleep(200); // polling a real browser and server, not waiting for time to pass
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static void sql(String... statements) throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  static long count(String query) {
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String string(String query) throws Exception {
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
