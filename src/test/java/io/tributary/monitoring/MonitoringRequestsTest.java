package io.tributary.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.platform.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The bad-input tables of the monitoring endpoints: every refusal is a 400 that says what is expected. */
class MonitoringRequestsTest {

  @ParameterizedTest(name = "timeRange={0} → {1} hours")
  @CsvSource({
    "1, 1",
    "24, 24",
    "167, 167",
    "168, 168",
    "169, 168",
    "1000, 168",
    "99999999999999999999999999, 168",
    "007, 7",
    "' 48 ', 48"
  })
  void validTimeRanges(String raw, int hours) {
    assertEquals(hours, MonitoringRequests.hours(raw));
  }

  @ParameterizedTest(name = "timeRange=\"{0}\" → 24")
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void absentTimeRangeIsTheDefault(String raw) {
    assertEquals(24, MonitoringRequests.hours(raw));
  }

  @ParameterizedTest(name = "timeRange={0} → 400")
  @ValueSource(strings = {"0", "00", "-1", "-24", "abc", "1.5", "24.0", "1e3", "+5", "0x10", "24h", "2 4", "١٢", "NaN", "Infinity"})
  void badTimeRanges(String raw) {
    ApiException e = assertThrows(ApiException.class, () -> MonitoringRequests.hours(raw));
    assertEquals(400, e.status());
    assertEquals("bad_request", e.code());
    assertTrue(e.getMessage().contains("timeRange"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} → {1} days")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"retentionDays\":30} | 30",
        "{\"retentionDays\":1} | 1",
        "{\"retentionDays\":3650} | 3650",
        "  { \"retentionDays\" : 7 }  | 7"
      })
  void validRetentionDays(String body, int days) {
    assertEquals(days, MonitoringRequests.retentionDays(body));
  }

  @ParameterizedTest(name = "{0} → 400")
  @ValueSource(
      strings = {
        "{\"retentionDays\":0}",
        "{\"retentionDays\":-1}",
        "{\"retentionDays\":3651}",
        "{\"retentionDays\":99999999999999999999}",
        "{\"retentionDays\":30.5}",
        "{\"retentionDays\":30.0}",
        "{\"retentionDays\":3e1}",
        "{\"retentionDays\":\"30\"}",
        "{\"retentionDays\":true}",
        "{\"retentionDays\":null}",
        "{\"retentionDays\":[30]}",
        "{\"retentionDays\":{\"days\":30}}",
        "{}",
        "{\"retentionDays\":30,\"dryRun\":true}",
        "{\"retention_days\":30}",
        "[30]",
        "30",
        "\"30\"",
        "null",
        "{\"retentionDays\":30",
        "retentionDays=30",
        " "
      })
  void badRetentionDays(String body) {
    ApiException e = assertThrows(ApiException.class, () -> MonitoringRequests.retentionDays(body));
    assertEquals(400, e.status(), e.getMessage());
  }

  @ParameterizedTest
  @NullAndEmptySource
  void aMissingBodyIs400(String body) {
    assertEquals(400, assertThrows(ApiException.class, () -> MonitoringRequests.retentionDays(body)).status());
  }
}
