package io.tributary.providers;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A cursor over JSON text that checks the grammar (RFC 8259) as it moves and throws a {@link
 * JsonException} at the first error, so a page is refused whole before anything of it is stored.
 *
 * <p>It builds as little as it can: an object becomes a {@link SourcedObject} that knows where each
 * of its fields' keys and values are in the text; nested values are checked and stepped over, and
 * decoded only when a client asks for them (most never are).
 */
final class JsonScanner {

  /** Deeper input is refused (as JSON-P's parser does) rather than ending in a StackOverflowError. */
  static final int MAX_DEPTH = 1000;

  private final String text;
  private int pos;
  /**
   * Scratch for the objects being read, 4 ints a field (see SourcedObject), used as a stack: an
   * object read while another is (an item of a page's list) puts its fields above the other's.
   */
  private int[] spans = new int[16];

  private int used;

  JsonScanner(String text, int pos) {
    this.text = text;
    this.pos = pos;
  }

  /** The first character after whitespace (the cursor stays on it), or -1 at the end. */
  int peek() {
    skipWhitespace();
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  /** Fails unless only whitespace is left. */
  void expectEnd() {
    if (peek() != -1) {
      throw malformed("text after the JSON value");
    }
  }

  /**
   * The value under the cursor, cursor moved past it: an object is a {@link SourcedObject}, an
   * array a {@link JsonArray} of read elements, anything else its scalar value.
   */
  JsonValue read(int depth) {
    int c = peek();
    if (c == '{') {
      return readObject(depth, false);
    }
    if (c == '[') {
      return readArray(depth);
    }
    int start = pos;
    skip(depth);
    return scalar(text, start, pos);
  }

  /**
   * The object under the cursor: its fields located, their values checked but not decoded.
   *
   * @param readLists read the arrays among its fields now, as {@link #readArray}: for a page (the
   *     clients read its list of items), so the items are scanned once, not stepped over and then
   *     read again
   */
  SourcedObject readObject(int depth, boolean readLists) {
    int start = pos;
    int base = used; // this object's spans go on the scratch above those of the objects around it
    String[] escapedKeys = null; // decoded, by field, for the rare key written with escapes
    JsonValue[] values = null; // the lists read now, by field
    open(depth);
    if (peek() == '}') {
      pos++;
    } else {
      do {
        int field = (used - base) / 4;
        if (peek() != '"') {
          throw malformed("expected a field name");
        }
        int keyStart = pos;
        if (skipString()) {
          escapedKeys = Arrays.copyOf(escapedKeys == null ? new String[0] : escapedKeys, field + 1);
          escapedKeys[field] = string(text, keyStart, pos);
        }
        int keyEnd = pos;
        expect(':');
        peek(); // past the whitespace
        int valueStart = pos;
        if (readLists && peek() == '[') {
          values = Arrays.copyOf(values == null ? new JsonValue[0] : values, field + 1);
          values[field] = readArray(depth + 1);
        } else {
          skip(depth + 1);
        }
        if (used + 4 > spans.length) {
          spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[used++] = keyStart;
        spans[used++] = keyEnd;
        spans[used++] = valueStart;
        spans[used++] = pos;
      } while (moreAfter('}'));
    }
    int[] own = Arrays.copyOfRange(spans, base, used);
    used = base;
    return new SourcedObject(text, start, pos, own, escapedKeys, values);
  }

  /** The array under the cursor, every element read. */
  JsonArray readArray(int depth) {
    open(depth);
    JsonArrayBuilder b = JSON.createArrayBuilder();
    if (peek() == ']') {
      pos++;
      return b.build();
    }
    do {
      b.add(read(depth + 1));
    } while (moreAfter(']'));
    return b.build();
  }

  /** Checks the value under the cursor and moves past it. */
  void skip(int depth) {
    int c = peek();
    switch (c) {
      case '{' -> {
        open(depth);
        if (peek() == '}') {
          pos++;
          return;
        }
        do {
          if (peek() != '"') {
            throw malformed("expected a field name");
          }
          skipString();
          expect(':');
          skip(depth + 1);
        } while (moreAfter('}'));
      }
      case '[' -> {
        open(depth);
        if (peek() == ']') {
          pos++;
          return;
        }
        do {
          skip(depth + 1);
        } while (moreAfter(']'));
      }
      case '"' -> skipString();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          skipNumber();
        } else {
          throw malformed(c == -1 ? "unexpected end of text" : "unexpected character");
        }
      }
    }
  }

  private void open(int depth) {
    if (depth >= MAX_DEPTH) {
      throw malformed("nested deeper than " + MAX_DEPTH);
    }
    pos++; // the bracket, already seen by peek()
  }

  /** After an element: true on ',' (another follows), false on {@code close}, else malformed. */
  private boolean moreAfter(char close) {
    int c = peek();
    if (c == ',' || c == close) {
      pos++;
      return c == ',';
    }
    throw malformed("expected ',' or '" + close + "'");
  }

  private void expect(char c) {
    if (peek() != c) {
      throw malformed("expected '" + c + "'");
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  /**
   * Moves past the string under the cursor; true when it holds an escape.
   *
   * <p>Finds the closing quote with {@code String.indexOf} (a vectorised intrinsic), then checks the
   * characters before it for a backslash or a control character in a loop that does nothing else;
   * a per-character loop that tested for all three was the largest single cost of a sync.
   */
  private boolean skipString() {
    int n = text.length();
    int i = pos + 1; // past the opening quote
    int quote = i - 1; // the next quote at or after i, or n when there is none; searched for lazily
    boolean escaped = false;
    while (true) {
      if (quote < i) {
        // Searched again only when an escaped quote was stepped over: once per quote, not per escape.
        quote = text.indexOf('"', i);
        quote = quote < 0 ? n : quote;
      }
      int j = i;
      char c = 0;
      while (j < quote && (c = text.charAt(j)) != '\\' && c >= 0x20) {
        j++;
      }
      if (j == quote) {
        if (quote == n) {
          pos = n;
          throw malformed("unterminated string");
        }
        pos = quote + 1;
        return escaped;
      }
      if (c != '\\') {
        pos = j;
        throw malformed("control character in a string");
      }
      escaped = true;
      i = skipEscape(j);
    }
  }

  /** Checks the escape at {@code backslash}; the index after it. */
  private int skipEscape(int backslash) {
    int n = text.length();
    int i = backslash + 1;
    char e = i < n ? text.charAt(i) : 0;
    i++;
    if (e == 'u') {
      for (int k = 0; k < 4; k++, i++) {
        if (i >= n || !isHexDigit(text.charAt(i))) {
          pos = i;
          throw malformed("bad \\u escape");
        }
      }
    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
      pos = i - 1;
      throw malformed("bad escape");
    }
    return i;
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
  private void skipNumber() {
    if (text.charAt(pos) == '-') {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == '0') {
      pos++;
    } else {
      digits();
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      digits();
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      int exponent = pos;
      digits();
      if (pos - exponent > 9) {
        // Valid JSON, but no BigDecimal holds it: refuse the page now, not when a client reads it.
        throw malformed("exponent out of range");
      }
    }
  }

  /** One or more digits. */
  private void digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw malformed("expected a digit");
    }
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw malformed("unexpected character");
    }
    pos += word.length();
  }

  private JsonException malformed(String what) {
    return new JsonException("malformed JSON at offset " + pos + ": " + what);
  }

  // --- decoding values already checked by a scan ---

  /** The value at {@code [start, end)} of text a scan has already checked. */
  static JsonValue valueAt(String text, int start, int end) {
    char c = text.charAt(start);
    return c == '{' || c == '[' ? new JsonScanner(text, start).read(0) : scalar(text, start, end);
  }

  private static JsonValue scalar(String text, int start, int end) {
    return switch (text.charAt(start)) {
      case '"' -> JSON.createValue(string(text, start, end));
      case 't' -> JsonValue.TRUE;
      case 'f' -> JsonValue.FALSE;
      case 'n' -> JsonValue.NULL;
      default -> number(text, start, end);
    };
  }

  /** Like JSON-P's parser: int or long when the digits surely fit, else a BigDecimal. */
  private static JsonValue number(String text, int start, int end) {
    boolean integral = true;
    for (int i = start; i < end && integral; i++) {
      char c = text.charAt(i);
      integral = c != '.' && c != 'e' && c != 'E';
    }
    int digits = end - start - (text.charAt(start) == '-' ? 1 : 0);
    if (integral && digits <= 9) {
      return JSON.createValue(Integer.parseInt(text, start, end, 10));
    }
    if (integral && digits <= 18) {
      return JSON.createValue(Long.parseLong(text, start, end, 10));
    }
    return JSON.createValue(new BigDecimal(text.substring(start, end)));
  }

  /** The first backslash in {@code [from, to)}, or -1 (String.indexOf would search to the page's end). */
  static int escapeIn(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\\') {
        return i;
      }
    }
    return -1;
  }

  /** The decoded content of the string token at {@code [start, end)} (quotes included). */
  static String string(String text, int start, int end) {
    int from = start + 1;
    int to = end - 1;
    int escape = escapeIn(text, from, to);
    if (escape < 0) {
      return text.substring(from, to);
    }
    StringBuilder sb = new StringBuilder(to - from).append(text, from, escape);
    for (int i = escape; i < to; ) {
      char c = text.charAt(i++);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = text.charAt(i++);
      switch (e) {
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          sb.append((char) Integer.parseInt(text, i, i + 4, 16));
          i += 4;
        }
        default -> sb.append(e); // '"', '\\', '/'
      }
    }
    return sb.toString();
  }
}
