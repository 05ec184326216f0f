package io.tributary.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderJsonTest {

  @Test
  void listItemsPrintAsTheExactTextTheProviderSent() {
    String first = "{ \"id\" : 1,\n  \"title\":\"a } in a string, an escaped \\\" quote\", \"nested\": {\"x\":[{\"y\":\"}\"}]}}";
    String second = "{\"id\":2,\"title\":\"\\u00e9t\\u00e9 caf\u00e9 \uD83D\uDE00\"}";
    String body = "{\"results\": [ " + first + " ,\n" + second + " ], \"next_cursor\": null, \"has_more\": false}";

    JsonObject page = ProviderJson.object(body);
    JsonArray results = page.getJsonArray("results");
    assertEquals(2, results.size());
    assertEquals(first, results.getJsonObject(0).toString());
    assertEquals(second, results.getJsonObject(1).toString());
    // The values are the parsed ones, whatever the text looked like.
    assertEquals("a } in a string, an escaped \" quote", results.getJsonObject(0).getString("title"));
    assertEquals("été café \uD83D\uDE00", results.getJsonObject(1).getString("title"));
    assertEquals("}", results.getJsonObject(0).getJsonObject("nested").getJsonArray("x").getJsonObject(0).getString("y"));
    assertTrue(page.isNull("next_cursor"));
    assertEquals(false, page.getBoolean("has_more"));
    // Equal, as a map, to what a plain JSON-P reader makes of the same text.
    assertEquals(Json.createReader(new StringReader(body)).readObject(), page);
  }

  @Test
  void aTopLevelArrayKeepsEachItemsText() {
    String body = "[{\"id\":1},  {\"id\" :2 , \"labels\":[1,2]},3,\"s\",null]";
    JsonArray a = ProviderJson.array(body);
    assertEquals(List.of("{\"id\":1}", "{\"id\" :2 , \"labels\":[1,2]}", "3", "\"s\"", "null"), a.stream().map(Object::toString).toList());
    assertEquals(2, a.getJsonObject(1).getInt("id"));
  }

  @Test
  void malformedOrWrongShapedTextIsRefused() {
    for (String bad : List.of("", "{", "{\"a\":1", "{\"a\":1}}", "{\"a\":1} x", "[1,2]", "nope", "{\"a\":[{\"b\":1}]")) {
      assertThrows(JsonException.class, () -> ProviderJson.object(bad), bad);
    }
    for (String bad : List.of("", "[", "[{\"a\":1}", "{\"a\":1}", "[1] [2]")) {
      assertThrows(JsonException.class, () -> ProviderJson.array(bad), bad);
    }
  }

  @Test
  void aMalformedPageIsATransientFailureOfTheResponse() {
    ProviderResponse r = new ProviderResponse(200, java.util.Map.of(), "{\"items\":[{\"id\":1},");
    ProviderException e = assertThrows(ProviderException.class, r::json);
    assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
  }
}
