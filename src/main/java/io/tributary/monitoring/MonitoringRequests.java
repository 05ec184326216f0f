package io.tributary.monitoring;

import io.tributary.platform.web.ApiError;
import io.tributary.platform.web.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Set;

/** Strict parsing of the monitoring endpoints' inputs: every mistake is a 400 that says what is expected. */
final class MonitoringRequests {
  private MonitoringRequests() {}

  static final int MIN_RETENTION_DAYS = 1;
  static final int MAX_RETENTION_DAYS = 3650;
  private static final String HOURS_RULE =
      "'timeRange' must be a whole number of hours from 1 (default 24; values above "
          + MonitoringReport.MAX_HOURS + " are capped to " + MonitoringReport.MAX_HOURS + ").";
  private static final String DAYS_RULE =
      "Field 'retentionDays' must be a whole number from " + MIN_RETENTION_DAYS + " to " + MAX_RETENTION_DAYS + ".";

  /** The {@code timeRange} query parameter: absent or empty → 24; above 168 → 168; else 1..168. */
  static int hours(String raw) {
    if (raw == null || raw.isBlank()) {
      return MonitoringReport.DEFAULT_HOURS;
    }
    String s = raw.strip();
    if (s.isEmpty() || s.length() > 1000 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      throw ApiError.badRequest(HOURS_RULE);
    }
    BigDecimal n = new BigDecimal(s);
    if (n.signum() == 0) {
      throw ApiError.badRequest(HOURS_RULE);
    }
    return n.compareTo(BigDecimal.valueOf(MonitoringReport.MAX_HOURS)) > 0 ? MonitoringReport.MAX_HOURS : n.intValueExact();
  }

  /** The cleanup body, {@code {"retentionDays": n}}, n a JSON integer from 1 to 3650, nothing else. */
  static int retentionDays(String body) {
    JsonObject o = Json.object(body, Set.of("retentionDays"));
    if (!o.containsKey("retentionDays") || o.isNull("retentionDays")) {
      throw ApiError.badRequest("Field 'retentionDays' is required. " + DAYS_RULE);
    }
    JsonValue v = o.get("retentionDays");
    if (v.getValueType() != JsonValue.ValueType.NUMBER) {
      throw ApiError.badRequest(DAYS_RULE);
    }
    BigDecimal n = ((JsonNumber) v).bigDecimalValue();
    // 30.0, 3e1 and 30.5 are refused alike: the field is a count of days, written as one.
    if (n.scale() != 0
        || n.compareTo(BigDecimal.valueOf(MIN_RETENTION_DAYS)) < 0
        || n.compareTo(BigDecimal.valueOf(MAX_RETENTION_DAYS)) > 0) {
      throw ApiError.badRequest(DAYS_RULE);
    }
    return n.intValueExact();
  }
}
