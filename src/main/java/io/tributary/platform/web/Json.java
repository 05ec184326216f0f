package io.tributary.platform.web;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading request bodies strictly: a JSON object, of bounded size, with only the fields the endpoint
 * knows, each of the right type. Every mistake becomes a 400 that names the field.
 */
public final class Json {
  private Json() {}

  public static final int MAX_BODY_CHARS = 64 * 1024;

  public static JsonObject object(String body, Set<String> allowedFields) {
    if (body == null || body.isBlank()) {
      throw ApiError.badRequest("The request needs a JSON object body.");
    }
    if (body.length() > MAX_BODY_CHARS) {
      throw new ApiException(413, "payload_too_large", "The request body is larger than 64 KiB.");
    }
    JsonValue v;
    try (JsonReader r = JSON.createReader(new StringReader(body))) {
      v = r.readValue();
    } catch (JsonException | IllegalStateException e) {
      throw new ApiException(400, "invalid_json", "The request body is not valid JSON.");
    }
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw ApiError.badRequest("The request body must be a JSON object.");
    }
    JsonObject o = v.asJsonObject();
    Set<String> unknown = new TreeSet<>(o.keySet());
    unknown.removeAll(allowedFields);
    if (!unknown.isEmpty()) {
      throw ApiError.badRequest(
          "Unknown field(s) " + String.join(", ", unknown) + "; allowed: " + String.join(", ", new TreeSet<>(allowedFields)) + ".");
    }
    return o;
  }

  /** A required or optional string field, trimmed, within a length bound. */
  public static String string(JsonObject o, String field, boolean required, int maxLength) {
    if (!o.containsKey(field) || o.isNull(field)) {
      if (required) {
        throw ApiError.badRequest("Field '" + field + "' is required.");
      }
      return null;
    }
    if (o.get(field).getValueType() != JsonValue.ValueType.STRING) {
      throw ApiError.badRequest("Field '" + field + "' must be a string.");
    }
    String s = o.getString(field).strip();
    if (s.isEmpty()) {
      if (required) {
        throw ApiError.badRequest("Field '" + field + "' must not be empty.");
      }
      return null;
    }
    if (s.length() > maxLength) {
      throw ApiError.badRequest("Field '" + field + "' is longer than " + maxLength + " characters.");
    }
    if (s.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')) {
      throw ApiError.badRequest("Field '" + field + "' contains control characters.");
    }
    return s;
  }
}
