package io.tributary.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.GeneratedData;
import io.tributary.simulator.ProviderSimulator;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
  @Test
  void escapesInKeysAndValuesDecodeAndTheTextStaysAsSent() {
    String item =
        "{\"ti\\u0074le\":\"line\\nnext\\ttab \\\"q\\\" back\\\\slash \\/ \\u00e9t\\u00C9 \\uD83D\\uDE00 caf\u00e9\","
            + "\"plain\":\"no escapes\",\"\\\"quoted\\\" key\":1}";
    JsonObject o = ProviderJson.object("{\"items\":[" + item + "]}").getJsonArray("items").getJsonObject(0);
    assertEquals(item, o.toString());
    assertEquals("line\nnext\ttab \"q\" back\\slash / ét\u00c9 \uD83D\uDE00 café", o.getString("title"));
    assertEquals("no escapes", o.getString("plain"));
    assertEquals(1, o.getInt("\"quoted\" key"));
    assertEquals(List.of("title", "plain", "\"quoted\" key"), List.copyOf(o.keySet()));
    assertFalse(o.containsKey("ti\\u0074le")); // the key is what it decodes to, not its text
    assertEquals(Json.createReader(new StringReader(item)).readObject(), o);
  }

  @Test
  void numbersBooleansAndNullReadAsJsonPReadsThem() {
    String item =
        "{\"int\":-12,\"zero\":0,\"long\":12345678901234,\"big\":123456789012345678901234,"
            + "\"frac\":1.50,\"exp\":-2.5E-3,\"t\":true,\"f\":false,\"n\":null}";
    JsonObject o = ProviderJson.array("[" + item + "]").getJsonObject(0);
    assertEquals(-12, o.getInt("int"));
    assertEquals(0, o.getInt("zero"));
    assertEquals(12345678901234L, o.getJsonNumber("long").longValueExact());
    assertEquals(new BigInteger("123456789012345678901234"), o.getJsonNumber("big").bigIntegerValueExact());
    assertEquals(1.5, o.getJsonNumber("frac").doubleValue());
    assertEquals(-0.0025, o.getJsonNumber("exp").doubleValue());
    assertTrue(o.getBoolean("t"));
    assertFalse(o.getBoolean("f"));
    assertTrue(o.isNull("n"));
    assertFalse(o.isNull("t"));
    assertEquals("12345678901234", OAuthForms.string(o, "long")); // GitHub's numeric ids
    assertNull(OAuthForms.string(o, "n"));
    assertNull(OAuthForms.string(o, "missing"));
    assertEquals(Json.createReader(new StringReader(item)).readObject(), o);
    JsonObject parsson = Json.createReader(new StringReader(item)).readObject();
    for (String k : parsson.keySet()) {
      assertEquals(parsson.get(k).toString(), o.get(k).toString(), k);
    }
  }

  @Test
  void typedGettersFailAndDefaultAsJsonPsOwnObject() {
    JsonObject o = ProviderJson.object("{\"s\":\"x\",\"n\":1,\"b\":true,\"z\":null}");
    JsonObject parsson = Json.createReader(new StringReader(o.toString())).readObject();
    for (JsonObject j : List.of(o, parsson)) {
      assertEquals("fallback", j.getString("n", "fallback"));
      assertEquals("fallback", j.getString("missing", "fallback"));
      assertEquals(7, j.getInt("s", 7));
      assertTrue(j.getBoolean("missing", true));
      assertTrue(j.getBoolean("n", true));
      assertTrue(j.getBoolean("b", false));
      assertNull(j.get("missing"));
      assertThrows(NullPointerException.class, () -> j.getString("missing"));
      assertThrows(NullPointerException.class, () -> j.getBoolean("missing"));
      assertThrows(NullPointerException.class, () -> j.isNull("missing"));
      assertThrows(ClassCastException.class, () -> j.getString("n"));
      assertThrows(ClassCastException.class, () -> j.getBoolean("s"));
      assertThrows(ClassCastException.class, () -> j.getJsonObject("s"));
    }
  }

  @Test
  void nestedValuesAreReadWhenAskedAndKeepTheirText() {
    String owner = "{ \"login\" : \"octo\", \"id\": 1 }";
    String label = "{\"name\":\"bug\",\"color\":\"f00\"}";
    String item = "{\"id\":1,\"owner\":" + owner + ",\"labels\":[ {\"name\":\"x\"}, " + label + " ],\"deep\":{\"a\":{\"b\":[[{\"c\":\"d\"}]]}}}";
    JsonObject o = ProviderJson.object("{\"items\":[" + item + "]}").getJsonArray("items").getJsonObject(0);
    assertEquals(item, o.toString());
    assertEquals("octo", o.getJsonObject("owner").getString("login"));
    assertEquals(owner, o.getJsonObject("owner").toString());
    assertEquals("bug", o.getJsonArray("labels").getJsonObject(1).getString("name"));
    assertEquals(label, o.getJsonArray("labels").getJsonObject(1).toString());
    assertEquals("d", o.getJsonObject("deep").getJsonObject("a").getJsonArray("b").getJsonArray(0).getJsonObject(0).getString("c"));
    assertTrue(o.getJsonObject("owner") == o.getJsonObject("owner"), "a value is decoded once and kept");
    assertEquals(Json.createReader(new StringReader(item)).readObject(), o);
  }

  @Test
  void aBigNestedArrayIsSteppedOverAndTheFieldsAfterItStillRead() {
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 20_000; i++) {
      big.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"s\":\"v").append(i).append("\",\"a\":[1,2,{}]}");
    }
    big.append(']');
    String item = "{\"id\":\"first\",\"events\":" + big + ",\"updated\":\"2025-03-01T10:00:00Z\"}";
    JsonArray items = ProviderJson.object("{\"items\":[{\"id\":\"zero\"}," + item + "],\"nextPageToken\":\"p2\"}").getJsonArray("items");
    JsonObject o = items.getJsonObject(1);
    assertEquals("first", o.getString("id"));
    assertEquals("2025-03-01T10:00:00Z", o.getString("updated"));
    assertEquals(item, o.toString());
    assertEquals(20_000, o.getJsonArray("events").size());
    assertEquals("v19999", o.getJsonArray("events").getJsonObject(19_999).getString("s"));
  }

  @Test
  void aMalformedItemInTheMiddleOfAListRefusesThePage() {
    String good = "{\"id\":1,\"nested\":{\"a\":[1,2]}}";
    for (String bad :
        List.of(
            "{\"id\":2,\"nested\":{\"a\":[1,2}}", // bracket mismatch deep inside a skipped value
            "{\"id\":2,\"nested\":{\"a\":[1,,2]}}",
            "{\"id\":2,\"nested\":{\"a\" [1]}}",
            "{\"id\":2,}",
            "{\"id\":02}",
            "{\"id\":1.}",
            "{\"id\":-}",
            "{\"id\":tru}",
            "{\"id\":2 \"x\":3}",
            "{\"id\":\"bad \\x escape\"}",
            "{\"id\":\"bad \\u12G4 escape\"}",
            "{\"id\":\"raw\nnewline\"}",
            "{\"id\":\"unterminated}",
            "{\"id\":\"an escaped \\\" quote, then a raw \u0001 control\"}",
            "{\"id\":\"\\\"\\\" escaped quotes, then unterminated}",
            "{\"id\":\"cut in an escape \\u00",
            "{\"id\":1e9999999999}")) {
      String page = "{\"items\":[" + good + "," + bad + "," + good + "],\"next\":null}";
      assertThrows(JsonException.class, () -> ProviderJson.object(page), bad);
      assertThrows(JsonException.class, () -> ProviderJson.array("[" + good + "," + bad + "," + good + "]"), bad);
      ProviderException e = assertThrows(ProviderException.class, new ProviderResponse(200, Map.of(), page)::json, bad);
      assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
    }
  }

  @Test
  void aStringOfEscapedQuotesReadsWhole() {
    String quotes = "\\\"".repeat(10_000); // \" ten thousand times: the closing quote is searched for again after each
    JsonObject o = ProviderJson.object("{\"items\":[{\"q\":\"" + quotes + "\",\"after\":1}]}");
    JsonObject item = o.getJsonArray("items").getJsonObject(0);
    assertEquals("\"".repeat(10_000), item.getString("q"));
    assertEquals(1, item.getInt("after"));
    assertThrows(JsonException.class, () -> ProviderJson.object("{\"q\":\"" + quotes + "}"), "never closed");
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    assertThrows(JsonException.class, () -> ProviderJson.array(deep));
    assertThrows(JsonException.class, () -> ProviderJson.object("{\"items\":[{\"x\":" + deep + "}]}"));
  }

  @Test
  void aRepeatedKeyKeepsItsLastValueAsJsonPDoes() {
    String item = "{\"id\":1,\"name\":\"a\",\"id\":2}";
    JsonObject o = ProviderJson.array("[" + item + "]").getJsonObject(0);
    JsonObject parsson = Json.createReader(new StringReader(item)).readObject();
    assertEquals(parsson.getInt("id"), o.getInt("id"));
    assertEquals(2, o.size());
    assertEquals(List.copyOf(parsson.keySet()), List.copyOf(o.keySet()));
    assertEquals(parsson, o);
    assertEquals(parsson.hashCode(), o.hashCode());
  }
  @Test
  void theSimulatorsPagesReadAsJsonPReadsThemAndEveryItemKeepsItsText() throws Exception {
    try (ProviderSimulator sim = ProviderSimulator.start(0)) {
      sim.clock().set(Instant.parse("2025-03-01T10:00:30Z"));
      sim.setGenerated(new GeneratedData(3, 0, 2, 100));
      Map<String, String> urls = sim.configProperties();
      String github = fetch(HttpRequest.newBuilder(URI.create(urls.get("github.api.url") + "/user/repos?per_page=100")).header("User-Agent", "test"), "github");
      String calendar = fetch(HttpRequest.newBuilder(URI.create(urls.get("google.calendar.api.url") + "/calendars/primary/events?maxResults=250")), "google_calendar");
      String notion = fetch(HttpRequest.newBuilder(URI.create(urls.get("notion.api.url") + "/v1/search")).POST(HttpRequest.BodyPublishers.ofString("{\"page_size\":100}")).header("Notion-Version", "2022-06-28"), "notion");
      String channels = fetch(HttpRequest.newBuilder(URI.create(urls.get("slack.api.url") + "/conversations.list")), "slack");
      String channel = ProviderJson.object(channels).getJsonArray("channels").getJsonObject(0).getString("id");
      String slack = fetch(HttpRequest.newBuilder(URI.create(urls.get("slack.api.url") + "/conversations.history?limit=200&channel=" + channel)), "slack");

      JsonArray repos = ProviderJson.array(github);
      assertEquals(100, repos.size());
      assertEquals(Json.createReader(new StringReader(github)).readArray(), repos);
      assertItemsKeepTheirText(github, repos);
      for (String[] page : new String[][] {{calendar, "items"}, {notion, "results"}, {channels, "channels"}, {slack, "messages"}}) {
        JsonObject o = ProviderJson.object(page[0]);
        assertEquals(Json.createReader(new StringReader(page[0])).readObject(), o, page[1]);
        assertFalse(o.getJsonArray(page[1]).isEmpty(), page[1]);
        assertItemsKeepTheirText(page[0], o.getJsonArray(page[1]));
      }
    }
  }

  private static void assertItemsKeepTheirText(String page, JsonArray items) {
    int from = 0;
    for (JsonObject item : items.getValuesAs(JsonObject.class)) {
      int at = page.indexOf(item.toString(), from);
      assertTrue(at >= from, item.toString());
      from = at + item.toString().length();
      assertEquals(Json.createReader(new StringReader(item.toString())).readObject(), item);
    }
  }

  private static String fetch(HttpRequest.Builder request, String provider) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(request.header("Authorization", "Bearer gen-" + provider + "-test").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }
}
