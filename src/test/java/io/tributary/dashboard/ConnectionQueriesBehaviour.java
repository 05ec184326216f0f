package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.connections.ConnectionView;
import io.tributary.providers.Provider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The integrations page's queries against a real database (H2 and PostgreSQL subclasses): every
 * filter pages through exactly the matching connections, forwards and backwards, with no gap and no
 * duplicate, and the provider health counts add up.
 */
abstract class ConnectionQueriesBehaviour {

  static final int USERS = 23;
  static final int PAGE = 7;

  ConnectionQueries queries;
  /** connection id → (user, provider, state), the expected truth. */
  final Map<Long, Object[]> truth = new TreeMap<>();

  abstract DataSource emptyDatabase() throws Exception;

  @BeforeEach
  void seed() throws Exception {
    DataSource ds = emptyDatabase();
    queries = new ConnectionQueries(ds);
    try (Connection c = ds.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM connections");
        s.execute("DELETE FROM app_users");
      }
      try (PreparedStatement user =
              c.prepareStatement("INSERT INTO app_users (id, external_id) VALUES (?, ?)");
          PreparedStatement conn =
              c.prepareStatement(
                  "INSERT INTO connections (id, user_id, provider, status, consecutive_failures,"
                      + " records_count) VALUES (?, ?, ?, ?, ?, ?)")) {
        long id = 1000;
        for (int u = 1; u <= USERS; u++) {
          user.setLong(1, u);
          user.setString(2, "user-" + u);
          user.executeUpdate();
          for (Provider p : Provider.values()) {
            // Skip some pairs so providers differ in size; vary states by a fixed pattern.
            if ((u + p.ordinal()) % 5 == 0) {
              continue;
            }
            id += 1 + (u % 3); // gaps in the ids, as after deletions
            HealthState state = HealthState.values()[(u * 7 + p.ordinal()) % 4];
            conn.setLong(1, id);
            conn.setLong(2, u);
            conn.setString(3, p.id());
            conn.setString(4, state == HealthState.FAILING ? "active" : state.id());
            conn.setInt(5, state == HealthState.FAILING || state == HealthState.NEEDS_REAUTH ? 2 : 0);
            conn.setLong(6, id % 17);
            conn.executeUpdate();
            truth.put(id, new Object[] {"user-" + u, p, state});
          }
        }
      }
    }
  }

  List<Long> expected(ConnectionFilter f) {
    Predicate<Object[]> match =
        t ->
            (f.provider() == null || t[1] == f.provider())
                && (f.state() == null || t[2] == f.state())
                && (f.userId() == null || t[0].equals(f.userId()));
    return truth.entrySet().stream().filter(e -> match.test(e.getValue())).map(Map.Entry::getKey).toList();
  }

  List<ConnectionFilter> everyFilter() {
    List<ConnectionFilter> out = new ArrayList<>();
    List<Provider> providers = new ArrayList<>(Arrays.asList(Provider.values()));
    providers.add(null);
    List<HealthState> states = new ArrayList<>(Arrays.asList(HealthState.values()));
    states.add(null);
    for (Provider p : providers) {
      for (HealthState s : states) {
        out.add(new ConnectionFilter(p, s, null, 0, null, PAGE));
      }
    }
    out.add(new ConnectionFilter(null, null, "user-4", 0, null, PAGE));
    out.add(new ConnectionFilter(Provider.SLACK, null, "user-4", 0, null, PAGE));
    out.add(new ConnectionFilter(null, HealthState.ACTIVE, "user-3", 0, null, PAGE));
    out.add(new ConnectionFilter(null, null, "nobody", 0, null, PAGE));
    return out;
  }

  @Test
  void everyFilterPagesForwardsThroughExactlyTheMatchingConnections() {
    for (ConnectionFilter f : everyFilter()) {
      List<Long> seen = new ArrayList<>();
      ConnectionFilter at = f;
      ConnectionPage page = queries.page(at);
      assertNull(page.previousBefore(), "the first page has no previous page: " + f);
      for (int guard = 0; guard < 100; guard++) {
        page.rows().forEach(r -> seen.add(r.id()));
        assertTrue(page.rows().size() <= PAGE);
        page.rows().forEach(r -> assertMatches(f, r));
        if (page.nextAfter() == null) {
          break;
        }
        assertEquals(PAGE, page.rows().size(), "only the last page is short: " + f);
        at = f.after(page.nextAfter());
        page = queries.page(at);
        assertEquals(page.rows().get(0).id(), page.previousBefore(), "a later page links back: " + at);
      }
      assertEquals(expected(f), seen, f.toString());
    }
  }

  @Test
  void everyFilterPagesBackwardsFromTheEndThroughExactlyTheMatchingConnections() {
    for (ConnectionFilter f : everyFilter()) {
      List<Long> seen = new ArrayList<>();
      ConnectionPage page = queries.page(f.before(Long.MAX_VALUE / 2));
      assertNull(page.nextAfter(), "nothing after the end: " + f);
      for (int guard = 0; guard < 100; guard++) {
        List<Long> ids = page.rows().stream().map(ConnectionView::id).toList();
        seen.addAll(0, ids);
        if (page.previousBefore() == null) {
          break;
        }
        ConnectionFilter at = f.before(page.previousBefore());
        page = queries.page(at);
        if (page.previousBefore() != null) {
          assertEquals(PAGE, page.rows().size(), "going back, only the first page may be short: " + at);
        }
        assertEquals(page.rows().get(page.rows().size() - 1).id(), page.nextAfter(), "links forward again: " + at);
      }
      assertEquals(expected(f), seen, f.toString());
    }
  }

  @Test
  void rowsCarryTheirUserAndHealth() {
    long id = expected(new ConnectionFilter(Provider.GITHUB, HealthState.NEEDS_REAUTH, null, 0, null, 1)).get(0);
    ConnectionView v =
        queries.page(new ConnectionFilter(Provider.GITHUB, HealthState.NEEDS_REAUTH, null, id - 1, null, 1)).rows().get(0);
    assertEquals(id, v.id());
    assertEquals(truth.get(id)[0], v.userId());
    assertEquals("github", v.provider());
    assertEquals(HealthState.NEEDS_REAUTH, HealthState.of(v));
    assertEquals(id % 17, v.recordsCount());
  }

  @Test
  void providerHealthCountsEveryConnectionOnceByState() {
    List<ProviderHealth> health = queries.providerHealth();
    assertEquals(Provider.values().length, health.size());
    for (ProviderHealth h : health) {
      for (HealthState s : HealthState.values()) {
        long n = expected(new ConnectionFilter(h.provider(), s, null, 0, null, 1)).size();
        long got =
            switch (s) {
              case ACTIVE -> h.active();
              case FAILING -> h.failing();
              case NEEDS_REAUTH -> h.needsReauth();
              case DISABLED -> h.disabled();
            };
        assertEquals(n, got, h.provider() + " " + s);
      }
      assertNull(h.lastRunId(), "no run yet");
    }
  }

  private void assertMatches(ConnectionFilter f, ConnectionView r) {
    Object[] t = truth.get(r.id());
    assertEquals(t[0], r.userId());
    assertEquals(((Provider) t[1]).id(), r.provider());
    assertEquals(t[2], HealthState.of(r));
    if (f.provider() != null) {
      assertEquals(f.provider().id(), r.provider());
    }
    if (f.state() != null) {
      assertEquals(f.state(), HealthState.of(r));
    }
  }
}
