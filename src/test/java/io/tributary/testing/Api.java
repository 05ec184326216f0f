package io.tributary.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A small HTTP client for black-box tests of the deployed WAR (loopback only). */
public final class Api {

  public record Reply(int status, String body, Map<String, List<String>> headers) {
    public JsonObject json() {
      try (JsonReader r = Json.createReader(new StringReader(body))) {
        return r.readObject();
      }
    }

    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase());
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final URI base;
  private final HttpClient http = clientBuilder().build();

  /**
   * The tests' HTTP client: HTTP/1.1 like a cron caller or curl (an h2c-upgraded connection carrying
   * a long trigger call was closed by the server (EOF) while the benchmark loaded it with other
   * requests), redirects not followed, so tests see them.
   */
  public static HttpClient.Builder clientBuilder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  /** A browser's client: {@link #clientBuilder()} with a cookie jar of its own (its own session). */
  public static HttpClient browser() {
    return clientBuilder().cookieHandler(new java.net.CookieManager()).build();
  }
  private String authorization;
  private Duration timeout = Duration.ofMinutes(5);

  /** The server's base URI (http://127.0.0.1:port). */
  public URI base() {
    return base;
  }

  public Api(URI base) {
    this.base = base;
  }

  public Api asAdmin() {
    return withAuthorization(basic(TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD));
  }

  public Api asCron() {
    return withAuthorization("Bearer " + TestEnvironment.CRON_SECRET);
  }

  public Api anonymous() {
    return withAuthorization(null);
  }

  public Api withAuthorization(String value) {
    Api a = new Api(base);
    a.authorization = value;
    a.timeout = timeout;
    return a;
  }

  /** The same caller waiting up to {@code t} for an answer (a benchmark's long trigger call). */
  public Api withTimeout(Duration t) {
    Api a = withAuthorization(authorization);
    a.timeout = t;
    return a;
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public URI uri(String pathAndQuery) {
    return base.resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
  }

  public Reply get(String path, String... headers) {
    return send(builder(path, headers).GET());
  }

  public Reply delete(String path) {
    return send(builder(path).DELETE());
  }

  public Reply post(String path, String jsonBody, String... headers) {
    HttpRequest.Builder b = builder(path, headers);
    if (jsonBody == null) {
      return send(b.POST(HttpRequest.BodyPublishers.noBody()));
    }
    return send(b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
  }

  public Reply send(String method, String path, String contentType, String body) {
    HttpRequest.Builder b = builder(path);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder builder(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private Reply send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every item of a paged list endpoint, following nextCursor. */
  public List<JsonObject> all(String path) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      String sep = path.contains("?") ? "&" : "?";
      Reply r = get(path + (cursor == null ? "" : sep + "cursor=" + cursor));
      if (r.status() != 200) {
        throw new AssertionError("GET " + path + " → " + r);
      }
      JsonObject page = r.json();
      JsonArray items = page.getJsonArray("items");
      items.forEach(v -> out.add(v.asJsonObject()));
      cursor = page.containsKey("nextCursor") && page.get("nextCursor").getValueType() == JsonValue.ValueType.STRING ? page.getString("nextCursor") : null;
    } while (cursor != null);
    return out;
  }
}
