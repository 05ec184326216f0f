package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.providers.Provider;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-provider success rate and duration per bucket, from the runs' breakdowns. */
class ProviderChartsTest {

  final Instant now = Instant.parse("2025-01-15T10:37:00Z");

  static JsonObject figures(long syncs, long ok, long failed, long avgMs) {
    return Json.createObjectBuilder()
        .add("syncs", syncs).add("successes", ok).add("failures", failed)
        .add("deferred", syncs - ok - failed).add("averageDurationMs", avgMs).build();
  }

  @Test
  void ratesAndDurationsAreAggregatedPerBucketAndGapsStayGaps() {
    JsonObject run1 = Json.createObjectBuilder().add("notion", figures(4, 3, 1, 100)).add("github", figures(2, 2, 0, 50)).build();
    JsonObject run2 = Json.createObjectBuilder().add("notion", figures(4, 1, 3, 300)).build();
    JsonObject deferredOnly = Json.createObjectBuilder().add("slack", figures(5, 0, 0, 10)).build();
    JsonObject tooOld = Json.createObjectBuilder().add("notion", figures(4, 0, 4, 1)).build();
    ProviderCharts c =
        ProviderCharts.build(
            List.of(
                new ProviderCharts.Run(Instant.parse("2025-01-15T10:31:00Z"), run1),
                new ProviderCharts.Run(Instant.parse("2025-01-15T10:33:00Z"), run2),
                new ProviderCharts.Run(Instant.parse("2025-01-15T10:01:00Z"), deferredOnly),
                new ProviderCharts.Run(Instant.parse("2025-01-15T09:00:00Z"), tooOld)),
            TimeRange.HOUR,
            now);
    assertFalse(c.isEmpty());
    List<Double> notionRate = c.rates().get(Provider.NOTION.ordinal()).values();
    List<Double> notionDuration = c.durations().get(Provider.NOTION.ordinal()).values();
    assertEquals(12, notionRate.size());
    // The chart runs 09:40-10:40 in 5-minute buckets: 10:30-10:35 is bucket 10, 10:00-10:05 bucket 4.
    assertEquals(4 / 8.0, notionRate.get(10), 1e-9);
    assertEquals((4 * 100 + 4 * 300) / 8.0, notionDuration.get(10), 1e-9);
    assertNull(notionRate.get(9), "no run in that bucket: a gap, not 0 %");
    assertEquals(1.0, c.rates().get(Provider.GITHUB.ordinal()).values().get(10), 1e-9);
    // Only deferred syncs: no success rate (nothing was attempted to the end), but a duration.
    assertNull(c.rates().get(Provider.SLACK.ordinal()).values().get(4));
    assertEquals(10.0, c.durations().get(Provider.SLACK.ordinal()).values().get(4), 1e-9);
    assertEquals(2, c.getRows().size(), "table rows only for buckets with figures");
    assertEquals("10:30", c.getRows().get(1).bucket());
    assertEquals("50 %", c.getRows().get(1).rates().get(Provider.NOTION.ordinal()));
    assertTrue(c.successRateSvg(TimeRange.HOUR).startsWith("<svg"));
    assertTrue(c.durationSvg(TimeRange.HOUR).contains("Notion latest 200 ms"));
  }

  @Test
  void noRunsMeansNoCharts() {
    ProviderCharts c = ProviderCharts.build(List.of(), TimeRange.WEEK, now);
    assertTrue(c.isEmpty());
    assertEquals(List.of(), c.getRows());
    assertTrue(c.successRateSvg(TimeRange.WEEK).contains("No syncs in this range."));
  }
}
