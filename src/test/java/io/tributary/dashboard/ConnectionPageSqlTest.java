package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.Provider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shape of the integrations page's SQL: one index-friendly branch per (provider, state), each
 * bounded by the page size, never OFFSET, and no request value ever in the SQL text.
 */
class ConnectionPageSqlTest {

  static int branches(String sql) {
    return sql.split("SELECT id FROM connections", -1).length - 1;
  }

  @Test
  void withoutFiltersTheFirstPageWalksThePrimaryKey() {
    ConnectionPageSql.Statement st = ConnectionPageSql.page(new ConnectionFilter(null, null, null, 0, null, 50), false, 0, 51);
    assertEquals(1, branches(st.sql()));
    assertTrue(st.sql().contains("SELECT id FROM connections WHERE id > ? ORDER BY id ASC LIMIT ?"), st.sql());
    assertEquals(List.of(0L, 51, 51), st.params());
  }

  @Test
  void aProviderAloneIsOneBranchPerStoredStatus() {
    ConnectionPageSql.Statement st =
        ConnectionPageSql.page(new ConnectionFilter(Provider.NOTION, null, null, 0, null, 50), false, 100, 51);
    assertEquals(3, branches(st.sql()));
    for (String status : List.of("active", "needs_reauth", "disabled")) {
      assertTrue(st.sql().contains("provider = ? AND status = '" + status + "' AND id > ?"), st.sql());
    }
    assertEquals(List.of("notion", 100L, 51, "notion", 100L, 51, "notion", 100L, 51, 51), st.params());
  }

  @Test
  void aStateAloneIsOneBranchPerProviderWithTheStatesLiteralCondition() {
    ConnectionPageSql.Statement st =
        ConnectionPageSql.page(new ConnectionFilter(null, HealthState.FAILING, null, 0, null, 50), false, 0, 51);
    assertEquals(4, branches(st.sql()));
    assertEquals(4, st.sql().split("status = 'active' AND consecutive_failures > 0", -1).length - 1, st.sql());
    assertEquals("github", st.params().get(0));
    assertEquals("google_calendar", st.params().get(9));
    assertTrue(st.sql().contains(" UNION ALL "));
  }

  @Test
  void providerAndStateAreASingleBranch() {
    ConnectionPageSql.Statement st =
        ConnectionPageSql.page(new ConnectionFilter(Provider.GITHUB, HealthState.ACTIVE, null, 0, null, 25), false, 5, 26);
    assertEquals(1, branches(st.sql()));
    assertTrue(st.sql().contains("provider = ? AND status = 'active' AND consecutive_failures = 0 AND id > ?"), st.sql());
    assertEquals(List.of("github", 5L, 26, 26), st.params());
  }

  @Test
  void aUserGoesThroughTheUniqueUserIdIndexAndStaysAParameter() {
    String hostile = "x' OR '1'='1";
    ConnectionPageSql.Statement st =
        ConnectionPageSql.page(new ConnectionFilter(Provider.SLACK, HealthState.DISABLED, hostile, 0, null, 50), false, 0, 51);
    assertEquals(1, branches(st.sql()));
    assertTrue(st.sql().contains("user_id = (SELECT id FROM app_users WHERE external_id = ?) AND provider = ? AND status = 'disabled'"), st.sql());
    assertFalse(st.sql().contains(hostile));
    assertEquals(List.of(hostile, "slack", 0L, 51, 51), st.params());
  }

  @Test
  void backwardsReadsDescendingBeforeTheKey() {
    ConnectionPageSql.Statement st =
        ConnectionPageSql.page(new ConnectionFilter(Provider.GITHUB, null, null, 0, 500L, 50), true, 500, 51);
    assertTrue(st.sql().contains("id < ? ORDER BY id DESC LIMIT ?"), st.sql());
    assertTrue(st.sql().endsWith("ORDER BY c.id DESC LIMIT ?"), st.sql());
  }

  @Test
  void neverOffset() {
    for (HealthState s : HealthState.values()) {
      for (Provider p : Provider.values()) {
        String sql = ConnectionPageSql.page(new ConnectionFilter(p, s, null, 0, null, 50), false, 0, 51).sql();
        assertFalse(sql.toUpperCase().contains("OFFSET"), sql);
      }
    }
  }
}
