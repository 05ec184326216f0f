package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An execution's breakdown and errors, as the detail page lists them. */
class ExecutionPageTest {

  @Test
  void theBreakdownListsProvidersInTheirUsualOrder() {
    var breakdown =
        Json.createObjectBuilder()
            .add("slack", Json.createObjectBuilder().add("syncs", 3).add("successes", 2).add("failures", 1)
                .add("deferred", 0).add("averageDurationMs", 120).add("recordsChanged", 40).add("calls", 9))
            .add("github", Json.createObjectBuilder().add("syncs", 4).add("successes", 4))
            .add("bogus", "not an object")
            .build();
    List<ExecutionPage.BreakdownRow> rows = ExecutionPage.breakdown(breakdown);
    assertEquals(2, rows.size());
    assertEquals(new ExecutionPage.BreakdownRow("GitHub", 4, 4, 0, 0, 0, 0, 0), rows.get(0));
    assertEquals(new ExecutionPage.BreakdownRow("Slack", 3, 2, 1, 0, 120, 40, 9), rows.get(1));
  }

  @Test
  void theErrorSummaryIsOneErrorPerLine() {
    assertEquals(
        List.of("notion: provider unavailable (HTTP 503) (4)", "slack: invalid_auth (1)"),
        ExecutionPage.errors("notion: provider unavailable (HTTP 503) (4); slack: invalid_auth (1)"));
    assertEquals(List.of(), ExecutionPage.errors(null));
    assertEquals(List.of(), ExecutionPage.errors("  "));
  }
}
