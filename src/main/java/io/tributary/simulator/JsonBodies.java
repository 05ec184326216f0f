package io.tributary.simulator;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** JSON-P factories (looked up once: {@code Json.createX} searches the provider on every call). */
final class JsonBodies {
  private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());
  private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
  private static final JsonWriterFactory WRITERS = Json.createWriterFactory(Map.of());
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  private JsonBodies() {}

  static JsonObjectBuilder object() {
    return BUILDERS.createObjectBuilder();
  }

  static JsonArrayBuilder array() {
    return BUILDERS.createArrayBuilder();
  }

  /** Parses JSON text; throws {@link jakarta.json.JsonException} (or a subclass) when invalid. */
  static JsonValue parse(String text) {
    try (JsonReader reader = READERS.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  /**
   * The value as compact UTF-8 JSON text, exactly as JSON-P's writer writes it ({@link #parssonBytes};
   * {@code JsonBodiesTest} holds the two to the same bytes). Written by hand because the simulator
   * answers every provider call of a benchmark on the benchmark's own machine: JSON-P's writer (its
   * generator, per-character escaping, and a character encoder in front of the bytes) was the largest
   * part of the simulator's CPU, which a real deployment does not spend, as the providers are elsewhere.
   */
  static byte[] bytes(JsonValue value) {
    StringBuilder out = new StringBuilder(512);
    write(out, value);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** JSON-P's own writer: the reference {@link #bytes} is tested against. */
  static byte[] parssonBytes(JsonValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonWriter writer = WRITERS.createWriter(out, StandardCharsets.UTF_8)) {
      writer.write(value);
    }
    return out.toByteArray();
  }

  private static void write(StringBuilder out, JsonValue value) {
    switch (value.getValueType()) {
      case OBJECT -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonValue> member : ((JsonObject) value).entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, member.getKey());
          out.append(':');
          write(out, member.getValue());
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        List<JsonValue> elements = (JsonArray) value;
        for (int i = 0; i < elements.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(out, elements.get(i));
        }
        out.append(']');
      }
      case STRING -> string(out, ((JsonString) value).getString());
      case NUMBER -> out.append(value.toString()); // JsonNumber's own text, as JSON-P writes it
      case TRUE -> out.append("true");
      case FALSE -> out.append("false");
      case NULL -> out.append("null");
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** A JSON string: quote, backslash and control characters escaped as JSON-P escapes them; the rest as is. */
  private static void string(StringBuilder out, String s) {
    out.append('"');
    int plain = 0; // start of the run of characters not yet appended
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, plain, i);
      plain = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    out.append(s, plain, s.length()).append('"');
  }

  /** Adds a string, or JSON null when it is null. */
  static JsonObjectBuilder addNullable(JsonObjectBuilder builder, String name, String value) {
    return value == null ? builder.addNull(name) : builder.add(name, value);
  }

  /** {@code 2024-01-01T00:00:00.000Z}: Notion's and Google's timestamp form. */
  static String millis(Instant instant) {
    return MILLIS.format(instant);
  }

  /** {@code 2024-01-01T00:00:00Z}: GitHub's timestamp form (whole seconds). */
  static String seconds(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
