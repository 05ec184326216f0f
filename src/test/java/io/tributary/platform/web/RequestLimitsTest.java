package io.tributary.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which requests the API refuses before a resource sees them, and with which status. */
class RequestLimitsTest {

  static Optional<ApiException> check(long length, String contentType, String accept, Map<String, List<String>> query) {
    return RequestLimits.refusal(length, contentType, accept == null ? null : List.of(accept), query);
  }

  static int status(long length, String contentType, String accept, Map<String, List<String>> query) {
    return check(length, contentType, accept, query).map(ApiException::status).orElse(0);
  }

  @Test
  void anOrdinaryRequestPasses() {
    assertEquals(0, status(100, "application/json", "application/json", Map.of("limit", List.of("5"))));
    assertEquals(0, status(-1, null, null, Map.of()));
    assertEquals(0, status(10, "application/json; charset=UTF-8", "*/*", Map.of()));
    assertEquals(0, status(10, "application/json;charset=utf8", "text/html;charset=iso-8859-1, application/json", Map.of()));
  }

  @Test
  void aBodyOverTheLimitIsRefusedByItsLength() {
    assertEquals(0, status(RequestLimits.MAX_BODY_BYTES, "application/json", null, Map.of()));
    assertEquals(413, status(RequestLimits.MAX_BODY_BYTES + 1, "application/json", null, Map.of()));
    assertEquals(413, status(Long.MAX_VALUE, null, null, Map.of()));
  }

  @Test
  void aBodyInAnotherCharsetIs415() {
    for (String ct : List.of("application/json; charset=ebcdic", "application/json; charset=utf-16", "application/json; charset=\"x y\"")) {
      assertEquals(415, status(2, ct, null, Map.of()), ct);
    }
    // A malformed Content-Type is JAX-RS's to refuse (400).
    assertEquals(0, status(2, "garbage", null, Map.of()));
  }

  @Test
  void anAcceptedCharsetThatDoesNotExistIs406() {
    assertEquals(406, status(0, null, "application/json; charset=ebcdic", Map.of()));
    assertEquals(406, status(0, null, "text/plain, application/json;charset=\"no such\"", Map.of()));
    assertEquals(0, status(0, null, ";;;", Map.of()), "malformed: JAX-RS answers 400");
  }

  @Test
  void queryParametersWithControlCharactersOrBrokenUnicodeAre400() {
    assertEquals(400, status(0, null, null, Map.of("userId", List.of("a\u0000"))));
    assertEquals(400, status(0, null, null, Map.of("userId", List.of("\r\nSet-Cookie: x=1"))));
    assertEquals(400, status(0, null, null, Map.of("\u0000", List.of("x"))));
    assertEquals(400, status(0, null, null, Map.of("code", List.of("\uD800"))));
    assertEquals(0, status(0, null, null, Map.of("userId", List.of("' OR 1=1 --"), "q", List.of("\u202Eü\uD83D\uDCA9"))));
    assertTrue(check(0, null, null, Map.of("a\r\n", List.of(""))).orElseThrow().getMessage().contains("'a??'"));
  }

  @Test
  void aQueryParameterGivenTwiceIs400() {
    assertEquals(400, status(0, null, null, Map.of("interval", List.of("15min", "30min"))));
    assertEquals(400, status(0, null, null, Map.of("interval", List.of("15min", "15min"))));
  }

  @Test
  void aChunkedBodyIsCutOffOnceItPassesTheLimit() throws Exception {
    InputStream ok = new RequestLimits.Bounded(new ByteArrayInputStream(new byte[1000]), 1000);
    assertEquals(1000, ok.readAllBytes().length);
    InputStream big = new RequestLimits.Bounded(new ByteArrayInputStream(new byte[1001]), 1000);
    ApiException e = assertThrows(ApiException.class, big::readAllBytes);
    assertEquals(413, e.status());
  }
}
