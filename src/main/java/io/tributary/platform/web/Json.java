package io.tributary.platform.web;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reading request bodies strictly: one JSON object, of bounded size and depth, each field once, with
 * only the fields the endpoint knows, each of the right type. Every mistake becomes a 400 that names
 * the field. A body that parsers could read two ways (a field twice, a second document after the
 * first) is refused rather than guessed at.
 */
public final class Json {
  private Json() {}

  public static final int MAX_BODY_CHARS = 64 * 1024;

  /** Request bodies are flat; this bounds the parser's recursion, far below its own limit. */
  static final int MAX_DEPTH = 16;

  public static JsonObject object(String body, Set<String> allowedFields) {
    if (body == null || body.isBlank()) {
      throw ApiError.badRequest("The request needs a JSON object body.");
    }
    if (body.length() > MAX_BODY_CHARS) {
      throw new ApiException(413, "payload_too_large", "The request body is larger than 64 KiB.");
    }
    JsonValue v;
    try (JsonParser p = JSON.createParser(new StringReader(body))) {
      v = value(p, p.next(), 1);
      if (p.hasNext()) {
        throw new ApiException(400, "invalid_json", "The request body has more after its JSON value; send one JSON object.");
      }
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      // JsonParsingException, NoSuchElementException at a premature end, and Parsson's bare
      // RuntimeException for some malformed input: all the client's mistake.
      throw new ApiException(400, "invalid_json", "The request body is not valid JSON.");
    }
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw ApiError.badRequest("The request body must be a JSON object.");
    }
    JsonObject o = v.asJsonObject();
    Set<String> unknown = new TreeSet<>(o.keySet());
    unknown.removeAll(allowedFields);
    if (!unknown.isEmpty()) {
      String names = unknown.stream().limit(5).map(Text::printable).collect(Collectors.joining(", "));
      throw ApiError.badRequest(
          "Unknown field(s) " + names + (unknown.size() > 5 ? ", …" : "") + "; allowed: "
              + String.join(", ", new TreeSet<>(allowedFields)) + ".");
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
    if (!Text.isClean(s)) {
      throw ApiError.badRequest("Field '" + field + "' contains control characters or broken Unicode.");
    }
    return s;
  }

  private static JsonValue value(JsonParser p, JsonParser.Event e, int depth) {
    return switch (e) {
      case START_OBJECT -> object(p, depth);
      case START_ARRAY -> array(p, depth);
      default -> p.getValue();
    };
  }

  private static JsonObject object(JsonParser p, int depth) {
    checkDepth(depth);
    JsonObjectBuilder b = JSON.createObjectBuilder();
    Set<String> seen = new HashSet<>();
    for (JsonParser.Event e = p.next(); e != JsonParser.Event.END_OBJECT; e = p.next()) {
      String key = p.getString();
      if (!seen.add(key)) {
        throw ApiError.badRequest("Field '" + Text.printable(key) + "' appears more than once; send each field once.");
      }
      b.add(key, value(p, p.next(), depth + 1));
    }
    return b.build();
  }

  private static JsonValue array(JsonParser p, int depth) {
    checkDepth(depth);
    JsonArrayBuilder b = JSON.createArrayBuilder();
    for (JsonParser.Event e = p.next(); e != JsonParser.Event.END_ARRAY; e = p.next()) {
      b.add(value(p, e, depth + 1));
    }
    return b.build();
  }

  private static void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw ApiError.badRequest("The request body is nested more than " + MAX_DEPTH + " levels deep.");
    }
  }
}
