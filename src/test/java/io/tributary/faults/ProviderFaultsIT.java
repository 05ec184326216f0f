package io.tributary.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.Item;
import io.tributary.simulator.ProviderSimulator;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.Deployments;
import io.tributary.testing.TestEnvironment;
import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Provider faults, one after another, each followed by a clean run: every healthy connection ends
 * fully synced (records equal to the simulator's), failures are counted exactly, the service stays
 * ready, and no record is duplicated.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProviderFaultsIT {

  static final List<String> PROVIDERS = List.of("github", "notion", "slack", "google_calendar");
  static final int USERS = 3;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  @ArquillianResource URL deployed;

  record Conn(long id, String provider, Account account) {}

  record Fault(String name, Consumer<ProviderSimulator> inject, int expectedFailures) {}

  @Test
  void afterEveryFaultHealthyConnectionsAreFullySyncedAndFailuresCountedExactly() throws Exception {
    Api base = new Api(Deployments.loopback(deployed));
    Api admin = base.asAdmin();
    Api cron = base.asCron();
    ProviderSimulator sim = TestEnvironment.simulator();
    try (Connection c = TestEnvironment.database().connect();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE synced_records, sync_cursors, execution_chunks, cron_job_executions, connections, app_users CASCADE");
      s.execute("UPDATE sync_job_locks SET execution_id = NULL");
    }
    List<Conn> conns = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (String p : PROVIDERS) {
        Account a = sim.account(p, "faults-" + u + "-" + p + "-" + System.nanoTime());
        a.seed(4);
        Tokens t = a.issueTokens(Duration.ofHours(2), true);
        Api.Reply r =
            admin.post(
                "/api/connections",
                "{\"userId\":\"faults-" + u + "\",\"provider\":\"" + p + "\",\"accessToken\":\"" + t.accessToken()
                    + "\",\"refreshToken\":\"" + t.refreshToken() + "\"}");
        assertEquals(201, r.status(), r.toString());
        conns.add(new Conn(r.json().getJsonNumber("id").longValue(), p, a));
      }
    }
    assertEquals(0, cron.post("/api/cron/sync-integrations", null).json().getInt("failureCount"), "a clean first sync");
    Account revoked = conns.stream().filter(c -> c.provider().equals("slack")).findFirst().orElseThrow().account();

    List<Fault> faults =
        List.of(
            new Fault("10% 5xx", s -> PROVIDERS.forEach(p -> s.faults(p).setSeed(7).errorRate(0.10)), 0),
            new Fault("5% timeouts", s -> PROVIDERS.forEach(p -> s.faults(p).setSeed(11).timeoutRate(0.05)), 0),
            new Fault("429 storm with Retry-After", s -> PROVIDERS.forEach(p -> s.faults(p).rateLimitNext(6, 1)), 0),
            new Fault("GitHub x-ratelimit-remaining: 0", s -> s.faults("github").rateLimitNext(2, 1), 0),
            new Fault("Google 410 on the sync token", s -> s.faults("google_calendar").syncTokenExpired(true), 0),
            new Fault("malformed JSON", s -> PROVIDERS.forEach(p -> s.faults(p).malformedNext(2)), 0),
            new Fault("Notion down for the whole run", s -> s.faults("notion").down(true), USERS),
            new Fault("revoked grant (one Slack user)", s -> revoked.revokeGrant(), 1));

    StringBuilder table = new StringBuilder("fault | syncs | failures (expected) | then clean run | duplicates\n");
    for (Fault f : faults) {
      f.inject().accept(sim);
      JsonObject faulty = cron.post("/api/cron/sync-integrations", null).json();
      PROVIDERS.forEach(p -> sim.faults(p).clear());
      JsonObject clean = cron.post("/api/cron/sync-integrations", null).json();
      long duplicates = count("SELECT COUNT(*) FROM (SELECT 1 FROM synced_records GROUP BY connection_id, kind, external_id HAVING COUNT(*) > 1) d");
      table.append(f.name()).append(" | ").append(faulty.getInt("providersSync")).append(" | ")
          .append(faulty.getInt("failureCount")).append(" (").append(f.expectedFailures()).append(") | ")
          .append(clean.getString("status")).append(" ").append(clean.getInt("successCount")).append("/").append(clean.getInt("providersSync"))
          .append(" | ").append(duplicates).append('\n');
      assertEquals(f.expectedFailures(), faulty.getInt("failureCount"), f.name() + ": " + faulty);
      assertEquals(0, duplicates, f.name());
      assertEquals(200, base.anonymous().get("/health/ready").status(), f.name() + ": ready again");
      for (Conn c : conns) {
        if (c.account() == revoked) {
          continue; // needs re-authorisation: skipped until reconnected
        }
        assertRecordsEqual(admin, c, f.name());
      }
    }
    System.out.println(table);
    JsonObject view = admin.get("/api/connections/" + conns.stream().filter(c -> c.account() == revoked).findFirst().orElseThrow().id()).json();
    assertEquals("needs_reauth", view.getString("status"));
  }

  static void assertRecordsEqual(Api admin, Conn c, String after) {
    Set<String> stored =
        admin.all("/api/connections/" + c.id() + "/records?limit=1000").stream()
            .map(o -> o.getString("kind") + "/" + o.getString("externalId"))
            .collect(Collectors.toSet());
    Set<String> expected = new HashSet<>();
    for (String kind : kinds(c.provider())) {
      for (Item i : c.account().items(kind)) {
        expected.add(kind + "/" + (kind.equals("message") ? i.containerId() + ":" + i.id() : i.id()));
      }
    }
    assertEquals(expected, stored, "after " + after + ": " + c.provider() + " connection " + c.id());
  }

  static List<String> kinds(String provider) {
    return switch (provider) {
      case "github" -> List.of("repository", "issue", "pull_request");
      case "notion" -> List.of("page", "database");
      case "slack" -> List.of("channel", "message");
      default -> List.of("event");
    };
  }

  static long count(String sql) throws Exception {
    return TestEnvironment.database().count(sql);
  }
}
