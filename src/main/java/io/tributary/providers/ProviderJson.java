package io.tributary.providers;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

/**
 * Reads a provider's answer so that every object in it, a list's items above all (a repository, a
 * page, a message, an event), is a {@link SourcedObject}: its {@code toString()} is the exact text
 * the provider sent, and its fields are decoded only when a client reads them. The clients store
 * {@code item.toString()} as the record's raw JSON and read a handful of fields, so a page is
 * neither built into maps nor written out again.
 *
 * <p>The whole text is checked before anything is returned ({@link JsonScanner}): a malformed
 * answer is a {@link JsonException} at once, never a failure halfway through storing a page.
 */
public final class ProviderJson {

  private ProviderJson() {}

  /**
   * A JSON object body.
   *
   * @throws JsonException when the text is not one JSON object
   */
  public static JsonObject object(String text) {
    JsonScanner scanner = new JsonScanner(text, 0);
    if (scanner.peek() != '{') {
      throw new JsonException("not a JSON object");
    }
    JsonObject o = scanner.readObject(0, true); // a page: its lists (of items) are read in this one pass
    scanner.expectEnd();
    return o;
  }

  /**
   * A JSON array body.
   *
   * @throws JsonException when the text is not one JSON array
   */
  public static JsonArray array(String text) {
    JsonScanner scanner = new JsonScanner(text, 0);
    if (scanner.peek() != '[') {
      throw new JsonException("not a JSON array");
    }
    JsonArray a = scanner.readArray(0);
    scanner.expectEnd();
    return a;
  }
}
