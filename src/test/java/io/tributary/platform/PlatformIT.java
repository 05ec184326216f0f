package io.tributary.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.Deployments;
import io.tributary.testing.TestEnvironment;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The WAR deploys into Payara Micro, migrates a real PostgreSQL database and reports ready. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PlatformIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  @ArquillianResource URL deployed;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void isServedAtTheRootContext() {
    assertEquals("/", Deployments.loopback(deployed).getPath());
  }

  @Test
  void readinessIsUpWithThePostgresqlCheck() throws Exception {
    URI base = Deployments.loopback(deployed);
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"status\":\"UP\""), r.body());
    assertTrue(r.body().contains("PostgreSQL"), r.body());
  }

  @Test
  void migrationsCreatedTheSchemaInPostgresql() throws Exception {
    Set<String> tables = new HashSet<>();
    try (Connection c = TestEnvironment.database().connect();
        ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
    }
    assertTrue(
        tables.containsAll(
            Set.of("app_users", "admin_users", "connections", "synced_records", "sync_cursors", "cron_job_executions")),
        "tables: " + tables);
  }

  @Test
  void unknownApiPathAnswersJsonNotHtml() throws Exception {
    URI base = Deployments.loopback(deployed);
    // /api/* is admin-only (web.xml): authenticate, so the answer comes from JAX-RS itself.
    String admin = TestEnvironment.ADMIN_USERNAME + ":" + TestEnvironment.ADMIN_PASSWORD;
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/no-such-thing"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(admin.getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    assertTrue(r.body().startsWith("{\"error\":\"not_found\""), r.body());
  }
}
