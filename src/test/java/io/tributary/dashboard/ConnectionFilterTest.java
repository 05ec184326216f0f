package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.Provider;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The integrations page's GET parameters: lenient parsing, links that keep the filters. */
class ConnectionFilterTest {

  static Map<String, String> params(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void noParametersIsTheFirstPageOfEverything() {
    ConnectionFilter f = ConnectionFilter.parse(params());
    assertEquals(new ConnectionFilter(null, null, null, 0, null, 50), f);
    assertFalse(f.filtered());
    assertFalse(f.backwards());
    assertEquals("", f.query());
  }

  @Test
  void everyFilterIsParsed() {
    ConnectionFilter f =
        ConnectionFilter.parse(params("provider", "google_calendar", "status", "needs_reauth", "user", " u-1 ", "size", "100", "after", "42"));
    assertEquals(Provider.GOOGLE_CALENDAR, f.provider());
    assertEquals(HealthState.NEEDS_REAUTH, f.state());
    assertEquals("u-1", f.userId());
    assertEquals(100, f.size());
    assertEquals(42, f.after());
    assertTrue(f.filtered());
  }

  @Test
  void unknownOrHostileValuesAreIgnoredNotErrors() {
    ConnectionFilter f =
        ConnectionFilter.parse(
            params("provider", "myspace", "status", "active' OR 1=1 --", "size", "1000000", "after", "-5", "before", "1e9"));
    assertEquals(new ConnectionFilter(null, null, null, 0, null, 50), f);
    assertNull(ConnectionFilter.parse(params("user", "x".repeat(201))).userId(), "over-long user ids are dropped");
    assertNull(ConnectionFilter.parse(params("user", "   ")).userId());
    assertNull(ConnectionFilter.parse(params("user", "u\u0000")).userId(), "PostgreSQL refuses NUL: a 500 before");
    assertNull(ConnectionFilter.parse(params("user", "u\uD800")).userId());
    assertEquals(0, ConnectionFilter.parse(params("after", "9999999999999999999999")).after());
  }

  @Test
  void beforeWinsOverAfter() {
    ConnectionFilter f = ConnectionFilter.parse(params("after", "10", "before", "20"));
    assertTrue(f.backwards());
    assertEquals(20L, f.before());
    assertEquals(0, f.after());
  }

  @Test
  void theQueryKeepsTheFiltersAndTheirPlaceAndRoundTrips() {
    ConnectionFilter f = new ConnectionFilter(Provider.SLACK, HealthState.FAILING, "a&b=c d", 0, null, 25);
    assertEquals("provider=slack&status=failing&user=a%26b%3Dc+d&size=25", f.query());
    assertEquals("provider=slack&status=failing&user=a%26b%3Dc+d&size=25&after=7", f.after(7).query());
    assertEquals("provider=slack&status=failing&user=a%26b%3Dc+d&size=25&before=3", f.before(3).query());
    Map<String, String> back = new HashMap<>();
    for (String kv : f.after(7).query().split("&")) {
      String[] p = kv.split("=", 2);
      back.put(p[0], java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(f.after(7), ConnectionFilter.parse(back));
  }
}
