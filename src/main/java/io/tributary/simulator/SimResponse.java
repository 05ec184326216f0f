package io.tributary.simulator;

import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response a handler produced, written to the exchange by {@link ProviderSimulator}. */
final class SimResponse {
  static final String JSON = "application/json; charset=utf-8";

  /** Not a response: the request is left hanging (timeout fault). */
  static final SimResponse HANG = new SimResponse(0, new byte[0]);

  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  final byte[] body;

  private SimResponse(int status, byte[] body) {
    this.status = status;
    this.body = body;
  }

  static SimResponse json(int status, JsonValue value) {
    return new SimResponse(status, JsonBodies.bytes(value)).header("Content-Type", JSON);
  }

  static SimResponse text(int status, String contentType, String text) {
    return new SimResponse(status, text.getBytes(StandardCharsets.UTF_8))
        .header("Content-Type", contentType);
  }

  static SimResponse redirect(String location) {
    return new SimResponse(302, new byte[0]).header("Location", location);
  }

  SimResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The same body cut in half (never valid JSON: the closing bracket is gone), with status 200. */
  SimResponse truncated() {
    int length = Math.max(1, body.length / 2);
    byte[] half =
        body.length == 0 ? "{\"".getBytes(StandardCharsets.UTF_8) : Arrays.copyOf(body, length);
    return new SimResponse(200, half).header("Content-Type", JSON);
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
