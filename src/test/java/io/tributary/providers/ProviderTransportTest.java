package io.tributary.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer's edges against a loopback server: stalls, huge answers, charsets, what is sent. */
class ProviderTransportTest {

  HttpServer server;
  final CountDownLatch release = new CountDownLatch(1);
  final AtomicReference<String> seenAuthorization = new AtomicReference<>();
  final AtomicReference<String> seenBody = new AtomicReference<>();
  ProviderTransport transport = new ProviderTransport(Duration.ofSeconds(2), Duration.ofMillis(500));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/stall-in-body",
        x -> {
          x.sendResponseHeaders(200, 0);
          try (OutputStream out = x.getResponseBody()) {
            out.write("{\"items\":[".getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await(); // the rest never comes (until the test ends)
          } catch (InterruptedException | IOException e) {
            // the client went away
          }
        });
    server.createContext(
        "/huge",
        x -> {
          x.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[1 << 20];
          try (OutputStream out = x.getResponseBody()) {
            for (int i = 0; i < 40; i++) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // the client hung up: expected
          }
        });
    server.createContext(
        "/multi-part-utf8",
        x -> {
          // About 3 MB in uneven writes, so the client hands the body over in many buffers, and
          // multi-byte characters fall across their seams.
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, 0);
          byte[] b = bigBody().getBytes(StandardCharsets.UTF_8);
          try (OutputStream out = x.getResponseBody()) {
            for (int at = 0, step = 1; at < b.length; at += step, step = step * 7 % 65_521 + 1) {
              out.write(b, at, Math.min(step, b.length - at));
              out.flush();
            }
          }
        });
    server.createContext(
        "/latin1",
        x -> {
          seenAuthorization.set(x.getRequestHeaders().getFirst("Authorization"));
          seenBody.set(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] b = "{\"name\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1);
          x.getResponseHeaders().add("Content-Type", "application/json; charset=ISO-8859-1");
          x.getResponseHeaders().add("X-RateLimit-Remaining", "42");
          x.sendResponseHeaders(201, b.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(b);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void aProviderThatStallsInTheMiddleOfABodyTimesOut() {
    assertThrows(HttpTimeoutException.class, () -> transport.send(ProviderRequest.get(uri("/stall-in-body")), "t"));
  }

  @Test
  void anAnswerFarBiggerThanAnyPageIsRefusedNotBuffered() {
    ProviderTransport patient = new ProviderTransport(Duration.ofSeconds(2), Duration.ofMinutes(2)); // the size decides, not time
    IOException e = assertThrows(IOException.class, () -> patient.send(ProviderRequest.get(uri("/huge")), "t"));
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
  }

  static String bigBody() {
    StringBuilder b = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 30_000; i++) {
      b.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"café ☕ ").append(i).append(" 𝄞\"}");
    }
    return b.append("]}").toString();
  }

  @Test
  void aBodyInManyPiecesIsReadWhole() throws IOException {
    ProviderTransport patient = new ProviderTransport(Duration.ofSeconds(2), Duration.ofSeconds(30));
    ProviderResponse r = patient.send(ProviderRequest.get(uri("/multi-part-utf8")), "t");
    assertEquals(200, r.status());
    assertEquals(bigBody(), r.body());
  }

  @Test
  void sendsTheBearerAndBodyAndReadsStatusHeadersAndCharset() throws IOException {
    ProviderResponse r = transport.send(ProviderRequest.postJson(uri("/latin1"), "{\"q\":\"é\"}"), "secret-token");
    assertEquals(201, r.status());
    assertEquals("café", r.json().getString("name"));
    assertEquals(42L, r.longHeader("x-ratelimit-remaining").orElseThrow());
    assertEquals("Bearer secret-token", seenAuthorization.get());
    assertEquals("{\"q\":\"é\"}", seenBody.get());
  }

  @Test
  void aRefusedConnectionIsAConnectException() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI closed = URI.create("http://127.0.0.1:" + port + "/");
    assertThrows(java.net.ConnectException.class, () -> transport.send(ProviderRequest.get(closed), null));
  }
}
