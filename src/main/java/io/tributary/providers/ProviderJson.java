package io.tributary.providers;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses a provider's answer once and keeps, for every object that is an element of a list (a
 * repository, a page, a message, an event), the exact text the provider sent: its {@code toString()}
 * returns that text. The clients store {@code item.toString()} as the record's raw JSON, so a page of
 * items is not written out again by a JSON generator (that re-serialising was a seventh of the sync
 * engine's CPU in the benchmark's profile), and raw is what the provider sent, byte for byte.
 *
 * <p>The texts come from the streaming parser's stream offsets; if an offset ever looks wrong (a
 * parser that reports them differently), the item falls back to the usual serialisation.
 */
public final class ProviderJson {

  private ProviderJson() {}

  /**
   * A JSON object body.
   *
   * @throws JsonException when the text is not one JSON object
   */
  public static JsonObject object(String text) {
    try (JsonParser p = JSON.createParser(new StringReader(text))) {
      if (!p.hasNext() || p.next() != JsonParser.Event.START_OBJECT) {
        throw new JsonException("not a JSON object");
      }
      JsonObject o = readObjectFields(p, text);
      end(p);
      return o;
    } catch (JsonParsingException | IllegalStateException | java.util.NoSuchElementException e) {
      throw new JsonException("malformed JSON: " + e.getMessage(), e);
    }
  }

  /**
   * A JSON array body.
   *
   * @throws JsonException when the text is not one JSON array
   */
  public static JsonArray array(String text) {
    try (JsonParser p = JSON.createParser(new StringReader(text))) {
      if (!p.hasNext() || p.next() != JsonParser.Event.START_ARRAY) {
        throw new JsonException("not a JSON array");
      }
      JsonArray a = readElements(p, text);
      end(p);
      return a;
    } catch (JsonParsingException | IllegalStateException | java.util.NoSuchElementException e) {
      throw new JsonException("malformed JSON: " + e.getMessage(), e);
    }
  }

  private static void end(JsonParser p) {
    if (p.hasNext()) {
      throw new JsonException("text after the JSON value");
    }
  }

  /** The fields of an object whose START_OBJECT was just read; arrays among them keep their items' texts. */
  private static JsonObject readObjectFields(JsonParser p, String text) {
    JsonObjectBuilder b = JSON.createObjectBuilder();
    while (true) {
      JsonParser.Event e = p.next();
      if (e == JsonParser.Event.END_OBJECT) {
        return b.build();
      }
      String key = p.getString(); // KEY_NAME
      if (p.next() == JsonParser.Event.START_ARRAY) {
        b.add(key, readElements(p, text));
      } else {
        b.add(key, p.getValue());
      }
    }
  }

  /** The elements of an array whose START_ARRAY was just read: objects keep their source text. */
  private static JsonArray readElements(JsonParser p, String text) {
    JsonArrayBuilder b = JSON.createArrayBuilder();
    while (true) {
      JsonParser.Event e = p.next();
      if (e == JsonParser.Event.END_ARRAY) {
        return b.build();
      }
      if (e == JsonParser.Event.START_OBJECT) {
        long start = p.getLocation().getStreamOffset() - 1; // the offset is just past the '{'
        JsonObject o = p.getObject();
        long end = p.getLocation().getStreamOffset(); // just past the '}'
        b.add(sourced(o, text, start, end));
      } else {
        b.add(p.getValue());
      }
    }
  }

  private static JsonObject sourced(JsonObject o, String text, long start, long end) {
    if (start < 0 || end > text.length() || start >= end || text.charAt((int) start) != '{' || text.charAt((int) end - 1) != '}') {
      return o;
    }
    return new SourcedObject(o, text.substring((int) start, (int) end));
  }

  /** A parsed object that prints as the text it was parsed from. */
  static final class SourcedObject extends AbstractMap<String, JsonValue> implements JsonObject {
    private final JsonObject parsed;
    private final String source;

    SourcedObject(JsonObject parsed, String source) {
      this.parsed = parsed;
      this.source = source;
    }

    @Override
    public Set<Map.Entry<String, JsonValue>> entrySet() {
      return parsed.entrySet();
    }

    @Override
    public JsonValue get(Object key) {
      return parsed.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return parsed.containsKey(key);
    }

    @Override
    public int size() {
      return parsed.size();
    }

    @Override
    public JsonArray getJsonArray(String name) {
      return parsed.getJsonArray(name);
    }

    @Override
    public JsonObject getJsonObject(String name) {
      return parsed.getJsonObject(name);
    }

    @Override
    public JsonNumber getJsonNumber(String name) {
      return parsed.getJsonNumber(name);
    }

    @Override
    public JsonString getJsonString(String name) {
      return parsed.getJsonString(name);
    }

    @Override
    public String getString(String name) {
      return parsed.getString(name);
    }

    @Override
    public String getString(String name, String defaultValue) {
      return parsed.getString(name, defaultValue);
    }

    @Override
    public int getInt(String name) {
      return parsed.getInt(name);
    }

    @Override
    public int getInt(String name, int defaultValue) {
      return parsed.getInt(name, defaultValue);
    }

    @Override
    public boolean getBoolean(String name) {
      return parsed.getBoolean(name);
    }

    @Override
    public boolean getBoolean(String name, boolean defaultValue) {
      return parsed.getBoolean(name, defaultValue);
    }

    @Override
    public boolean isNull(String name) {
      return parsed.isNull(name);
    }

    @Override
    public ValueType getValueType() {
      return ValueType.OBJECT;
    }

    @Override
    public String toString() {
      return source;
    }
  }
}
