package io.tributary.simulator;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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

  static byte[] bytes(JsonValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonWriter writer = WRITERS.createWriter(out, java.nio.charset.StandardCharsets.UTF_8)) {
      writer.write(value);
    }
    return out.toByteArray();
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
