package io.tributary.monitoring;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** One occurrence of an alert as stored in {@code monitoring_alerts}: what the API and the notifications show. */
public record StoredAlert(
    long id,
    String type,
    String severity,
    String subjectKind,
    String subject,
    String status,
    String message,
    Double observedValue,
    Double threshold,
    Instant since,
    Instant openedAt,
    Instant lastSeenAt,
    Instant resolvedAt) {

  public String key() {
    return type + ":" + subject;
  }

  /**
   * The alert's JSON: {@code type}, {@code severity}, {@code jobName} / {@code provider} / {@code
   * channel} (by what it is about), {@code message}, {@code observedValue}, {@code threshold}, {@code
   * since}, plus {@code id}, {@code status}, {@code openedAt} and, once resolved, {@code resolvedAt}.
   */
  public JsonObjectBuilder json() {
    JsonObjectBuilder b =
        JSON.createObjectBuilder().add("id", id).add("type", type).add("severity", severity);
    b.add(
        switch (subjectKind) {
          case Alert.JOB -> "jobName";
          case Alert.PROVIDER -> "provider";
          default -> "channel";
        },
        subject);
    b.add("message", message);
    number(b, "observedValue", observedValue);
    number(b, "threshold", threshold);
    b.add("since", since.toString()).add("status", status).add("openedAt", openedAt.toString());
    if (resolvedAt != null) {
      b.add("resolvedAt", resolvedAt.toString());
    }
    return b;
  }

  /** Whole numbers as integers (3, not 3.0); fractions rounded to 4 places. */
  static void number(JsonObjectBuilder b, String name, Double v) {
    if (v == null || v.isNaN() || v.isInfinite()) {
      b.addNull(name);
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      b.add(name, v.longValue());
    } else {
      b.add(name, BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros());
    }
  }
}
