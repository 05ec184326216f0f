package io.tributary.providers;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object that is a window on the provider's text: {@code toString()} is that text, byte for
 * byte (the clients store it as the record's raw JSON), and a field's value is decoded only when
 * someone reads it. A client reads four or five fields of an item; building every item's map (a
 * HashMap and a value per field, every nested object too) was the largest part of the sync
 * engine's CPU in the benchmark's profile.
 *
 * <p>Reading a field is a linear search of the keys, fine for the few dozen fields of a provider's
 * item. The whole map is made only when someone iterates or compares the object. Values are decoded
 * on first read and kept; like the page it came from, an object belongs to the thread that parsed it.
 */
final class SourcedObject extends AbstractMap<String, JsonValue> implements JsonObject {
  private final String text;
  private final int start;
  private final int end;
  /** Per field, 4 offsets into text: key start, key end (the key's quotes included), value start, value end. */
  private final int[] spans;
  /** Decoded keys by field for keys written with escapes (rare), else null: other keys are their text. */
  private final String[] escapedKeys;
  /** Decoded values by field, filled as they are read. */
  private JsonValue[] values;
  /** Every field, made the first time someone iterates. */
  private Map<String, JsonValue> map;

  /** @param values values already read, by field (a page's lists), or null */
  SourcedObject(String text, int start, int end, int[] spans, String[] escapedKeys, JsonValue[] values) {
    this.text = text;
    this.start = start;
    this.end = end;
    this.spans = spans;
    this.escapedKeys = escapedKeys;
    this.values = values;
  }

  private int fields() {
    return spans.length / 4;
  }

  /** The field called {@code key}, the last one if the key repeats (JSON-P keeps the last value). */
  private int find(Object key) {
    if (key instanceof String name) {
      for (int f = fields() - 1; f >= 0; f--) {
        if (keyIs(f, name)) {
          return f;
        }
      }
    }
    return -1;
  }

  private boolean keyIs(int f, String name) {
    if (escapedKeys != null && f < escapedKeys.length && escapedKeys[f] != null) {
      return escapedKeys[f].equals(name);
    }
    int from = spans[4 * f] + 1; // inside the quotes
    int length = spans[4 * f + 1] - 1 - from;
    return length == name.length() && text.regionMatches(from, name, 0, length);
  }

  private String key(int f) {
    return escapedKeys != null && f < escapedKeys.length && escapedKeys[f] != null
        ? escapedKeys[f]
        : text.substring(spans[4 * f] + 1, spans[4 * f + 1] - 1);
  }

  private JsonValue value(int f) {
    if (values == null || values.length <= f) {
      values = values == null ? new JsonValue[fields()] : Arrays.copyOf(values, fields());
    }
    if (values[f] == null) {
      values[f] = JsonScanner.valueAt(text, spans[4 * f + 2], spans[4 * f + 3]);
    }
    return values[f];
  }

  @Override
  public JsonValue get(Object key) {
    int f = find(key);
    return f < 0 ? null : value(f);
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) >= 0;
  }

  @Override
  public boolean isEmpty() {
    return spans.length == 0;
  }

  @Override
  public Set<Map.Entry<String, JsonValue>> entrySet() {
    if (map == null) {
      // In text order; a repeated key keeps its first place and its last value, as JSON-P's builder.
      Map<String, JsonValue> m = new LinkedHashMap<>();
      for (int f = 0; f < fields(); f++) {
        m.put(key(f), value(f));
      }
      map = Collections.unmodifiableMap(m);
    }
    return map.entrySet();
  }

  // The typed getters behave as JSON-P's own JsonObject (Parsson): a missing field is a
  // NullPointerException, a field of another type a ClassCastException, unless a default is given.

  @Override
  public JsonArray getJsonArray(String name) {
    return (JsonArray) get(name);
  }

  @Override
  public JsonObject getJsonObject(String name) {
    return (JsonObject) get(name);
  }

  @Override
  public JsonNumber getJsonNumber(String name) {
    return (JsonNumber) get(name);
  }

  @Override
  public JsonString getJsonString(String name) {
    return (JsonString) get(name);
  }

  @Override
  public String getString(String name) {
    return getJsonString(name).getString();
  }

  @Override
  public String getString(String name, String defaultValue) {
    return get(name) instanceof JsonString s ? s.getString() : defaultValue;
  }

  @Override
  public int getInt(String name) {
    return getJsonNumber(name).intValue();
  }

  @Override
  public int getInt(String name, int defaultValue) {
    return get(name) instanceof JsonNumber n ? n.intValue() : defaultValue;
  }

  @Override
  public boolean getBoolean(String name) {
    JsonValue v = get(name);
    if (v == null) {
      throw new NullPointerException("no field " + name);
    }
    if (v == JsonValue.TRUE || v == JsonValue.FALSE) {
      return v == JsonValue.TRUE;
    }
    throw new ClassCastException("field " + name + " is not a boolean");
  }

  @Override
  public boolean getBoolean(String name, boolean defaultValue) {
    JsonValue v = get(name);
    return v == JsonValue.TRUE || (v != JsonValue.FALSE && defaultValue);
  }

  @Override
  public boolean isNull(String name) {
    return get(name).equals(JsonValue.NULL);
  }

  @Override
  public ValueType getValueType() {
    return ValueType.OBJECT;
  }

  /** The provider's text of this object, exactly. */
  @Override
  public String toString() {
    return text.substring(start, end);
  }
}
