package io.tributary.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Request bodies are read one way only: anything a parser could read differently is a 400. */
class JsonTest {

  static final Set<String> DAYS = Set.of("retentionDays", "scopes");

  static ApiException refused(String body) {
    return assertThrows(ApiException.class, () -> Json.object(body, DAYS), body);
  }

  @Test
  void aPlainObjectIsRead() {
    JsonObject o = Json.object(" {\"retentionDays\": 30, \"scopes\": [\"a\", \"b\"]} ", DAYS);
    assertEquals(30, o.getInt("retentionDays"));
    assertEquals(2, o.getJsonArray("scopes").size());
  }

  @Test
  void aFieldGivenTwiceIsRefusedInsteadOfTakingEitherValue() {
    ApiException e = refused("{\"retentionDays\":30,\"retentionDays\":1}");
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("more than once"), e.getMessage());
    assertEquals(400, refused("{\"scopes\":[{\"a\":1,\"a\":2}]}").status(), "nested objects too");
  }

  @Test
  void anythingAfterTheFirstValueIsRefused() {
    assertEquals("invalid_json", refused("{\"retentionDays\":30} trailing").code());
    assertEquals("invalid_json", refused("{\"retentionDays\":30}{\"retentionDays\":1}").code());
    assertEquals("invalid_json", refused("{\"retentionDays\":30}]").code());
  }

  @Test
  void deepNestingIsA400NotA500() {
    assertEquals(400, refused("{\"scopes\":" + "[".repeat(20) + "]".repeat(20) + "}").status());
    // Past the parser's own limit (1000), which it reports as a bare RuntimeException.
    assertEquals(400, refused("[".repeat(5000) + "]".repeat(5000)).status());
  }

  @Test
  void malformedAndTruncatedBodiesAreInvalidJson() {
    for (String body : new String[] {"{", "{\"retentionDays\"", "{\"retentionDays\":}", "{'a':1}", "\uFEFF{}", "nul"}) {
      assertEquals("invalid_json", refused(body).code(), body);
    }
  }

  @Test
  void unknownFieldNamesAreNotEchoedVerbatim() {
    ApiException e = refused("{\"<script>" + "x".repeat(100) + "\":1}");
    assertFalse(e.getMessage().contains("<script>"), e.getMessage());
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }

  @Test
  void stringsWithControlCharactersOrBrokenUnicodeAreRefused() {
    for (String bad : new String[] {"\\u0000", "a\\u001bb", "\\ud800", "x\\udc00", "\\u0085"}) {
      JsonObject o = Json.object("{\"scopes\":\"" + bad + "\"}", DAYS);
      assertThrows(ApiException.class, () -> Json.string(o, "scopes", true, 100), bad);
    }
    JsonObject fine = Json.object("{\"scopes\":\"tab\\tand \\ud83d\\udca9 and \\u202e\"}", DAYS);
    assertEquals("tab\tand \uD83D\uDCA9 and \u202E", Json.string(fine, "scopes", true, 100));
  }

  @Test
  void textIsCleanWithoutControlsOrLoneSurrogates() {
    assertTrue(Text.isClean(""));
    assertTrue(Text.isClean("' OR 1=1 --; DROP TABLE connections"));
    assertFalse(Text.isClean("a\u0000"));
    assertFalse(Text.isClean("a\r\nb"));
    assertFalse(Text.isClean("\uDBFF"));
    assertFalse(Text.isClean("\uDC00\uD800"));
    assertEquals("a??b", Text.printable("a\r\nb"));
  }
}
