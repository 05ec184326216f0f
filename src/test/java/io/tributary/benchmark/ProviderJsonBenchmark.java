package io.tributary.benchmark;

import io.tributary.providers.OAuthForms;
import io.tributary.providers.ProviderJson;
import io.tributary.simulator.GeneratedData;
import io.tributary.simulator.ProviderSimulator;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Parsing one provider page and reading what the clients read of each item, in a loop: CPU ns per
 * item and bytes allocated per item (the sync engine's JSON cost, without HTTP or the database). The pages
 * are real answers of the provider simulator in generated mode: a GitHub repositories page, a Slack
 * history page, a Google Calendar events page and a Notion search page, 100 items each.
 *
 * <p>Not a unit test. {@code mvn -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.tributary.benchmark.ProviderJsonBenchmark} (or {@code java -cp
 * target/classes:target/test-classes:<test class path> …}); {@code -Dbench.seconds=3} sets the time
 * measured per provider. To compare with another {@code ProviderJson}, put its classes first on the
 * class path.
 */
public final class ProviderJsonBenchmark {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What a client does with one page: parse it, read each item's fields, keep its raw text. */
  private record Case(String name, String body, ToIntFunction<String> client) {}

  public static void main(String[] args) throws Exception {
    double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
    List<Case> cases;
    try (ProviderSimulator sim = ProviderSimulator.start(0)) {
      sim.clock().set(Instant.parse("2025-03-01T10:00:30Z"));
      sim.setGenerated(new GeneratedData(3, 0, 2, 100));
      cases = pages(sim);
    }
    System.out.println("ProviderJson: " + ProviderJson.class.getProtectionDomain().getCodeSource().getLocation());
    System.out.printf(Locale.ROOT, "%-18s %7s %7s %12s %12s%n", "page", "items", "KiB", "cpu ns/item", "bytes/item");
    for (Case c : cases) {
      run(c, seconds / 3); // warm-up: let the JIT compile the paths
      run(c, seconds);
    }
    for (Case c : cases) {
      double[] r = run(c, seconds);
      System.out.printf(
          Locale.ROOT, "%-18s %7d %7.1f %12.0f %12.0f%n", c.name(), (int) r[2], c.body().length() / 1024.0, r[0], r[1]);
    }
  }

  /** {CPU ns per item, bytes per item, items per page} over at least {@code seconds}. */
  private static double[] run(Case c, double seconds) {
    long tid = Thread.currentThread().getId();
    long items = 0;
    long sink = 0;
    long bytes0 = THREADS.getThreadAllocatedBytes(tid);
    // The thread's CPU time, not wall time: the machine is shared, and waiting for a core is not
    // parsing.
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    int perPage = 0;
    do {
      for (int i = 0; i < 50; i++) {
        perPage = c.client().applyAsInt(c.body());
        items += perPage;
        sink += perPage;
      }
    } while (System.nanoTime() < deadline);
    long ns = THREADS.getCurrentThreadCpuTime() - cpu0;
    long bytes = THREADS.getThreadAllocatedBytes(tid) - bytes0;
    if (sink == 42) {
      System.out.print(""); // keeps the results alive
    }
    return new double[] {(double) ns / items, (double) bytes / items, perPage};
  }

  // --- what each client reads (GithubClient.repository, SlackClient.syncHistory, …) ---

  private static int github(String body) {
    JsonArray repos = ProviderJson.array(body);
    int n = 0;
    for (JsonValue v : repos) {
      JsonObject o = v.asJsonObject();
      n += use(OAuthForms.string(o, "id"), OAuthForms.string(o, "full_name"), OAuthForms.string(o, "html_url"));
      n += use(OAuthForms.string(o, "updated_at"), o.toString());
    }
    return count(n, repos.size());
  }

  private static int slack(String body) {
    JsonObject page = ProviderJson.object(body);
    int n = page.getBoolean("ok", false) ? 1 : 0;
    JsonArray messages = page.getJsonArray("messages");
    for (JsonValue v : messages) {
      JsonObject m = v.asJsonObject();
      n += use(m.getString("ts", null), m.getString("text", ""), m.toString());
    }
    JsonObject meta = page.getJsonObject("response_metadata");
    n += meta == null || meta.isNull("next_cursor") ? 0 : use(meta.getString("next_cursor", ""));
    return count(n, messages.size());
  }

  private static int calendar(String body) {
    JsonObject page = ProviderJson.object(body);
    JsonArray items = page.getJsonArray("items");
    int n = 0;
    for (JsonValue v : items) {
      JsonObject e = v.asJsonObject();
      n += use(e.getString("id", null), e.getString("status", ""), e.getString("updated", null));
      n += use(e.getString("summary", null), e.getString("htmlLink", null), e.toString());
    }
    n += use(page.getString("nextPageToken", null), page.getString("nextSyncToken", null));
    return count(n, items.size());
  }

  private static int notion(String body) {
    JsonObject page = ProviderJson.object(body);
    JsonArray results = page.getJsonArray("results");
    int n = 0;
    for (JsonValue v : results) {
      JsonObject o = v.asJsonObject();
      String object = o.getString("object", "page");
      String title = object.equals("page") ? notionPageTitle(o) : plainText(o.getJsonArray("title"));
      n += use(object, title, OAuthForms.string(o, "last_edited_time"));
      n += use(OAuthForms.string(o, "id"), OAuthForms.string(o, "url"), o.toString());
    }
    n += use(page.isNull("next_cursor") ? null : page.getString("next_cursor", null));
    return count(n, results.size());
  }

  private static String notionPageTitle(JsonObject page) {
    JsonObject props = page.getJsonObject("properties");
    if (props == null) {
      return null;
    }
    for (JsonValue v : props.values()) {
      if (v.getValueType() == JsonValue.ValueType.OBJECT && "title".equals(v.asJsonObject().getString("type", ""))) {
        return plainText(v.asJsonObject().getJsonArray("title"));
      }
    }
    return null;
  }

  private static String plainText(JsonArray rich) {
    if (rich == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (JsonValue v : rich) {
      if (v.getValueType() == JsonValue.ValueType.OBJECT) {
        sb.append(v.asJsonObject().getString("plain_text", ""));
      }
    }
    return sb.toString();
  }

  private static int use(String... values) {
    int n = 0;
    for (String s : values) {
      n += s == null ? 0 : s.length() & 1;
    }
    return n;
  }

  /** The items of the page (n only keeps the reads from being optimised away). */
  private static int count(int n, int items) {
    return n < 0 ? n : items;
  }

  // --- the pages, fetched once from the simulator ---

  private static List<Case> pages(ProviderSimulator sim) throws Exception {
    var props = sim.configProperties();
    String github =
        get(props.get("github.api.url") + "/user/repos?per_page=100&sort=updated&direction=desc", "github", "User-Agent", "bench");
    String slackApi = props.get("slack.api.url");
    String channel = ProviderJson.object(get(slackApi + "/conversations.list?limit=200", "slack"))
        .getJsonArray("channels").getJsonObject(0).getString("id");
    String slack = get(slackApi + "/conversations.history?limit=200&channel=" + channel, "slack");
    String calendar =
        get(props.get("google.calendar.api.url") + "/calendars/primary/events?maxResults=250&singleEvents=true&showDeleted=true",
            "google_calendar");
    String notion =
        send(HttpRequest.newBuilder(URI.create(props.get("notion.api.url") + "/v1/search"))
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"sort\":{\"timestamp\":\"last_edited_time\",\"direction\":\"descending\"},\"page_size\":100}"))
            .header("Content-Type", "application/json")
            .header("Notion-Version", "2022-06-28"), "notion");
    return List.of(
        new Case("github repos", github, ProviderJsonBenchmark::github),
        new Case("slack history", slack, ProviderJsonBenchmark::slack),
        new Case("calendar events", calendar, ProviderJsonBenchmark::calendar),
        new Case("notion search", notion, ProviderJsonBenchmark::notion));
  }

  private static String get(String url, String provider, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b, provider);
  }

  private static String send(HttpRequest.Builder b, String provider) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(b.header("Authorization", "Bearer gen-" + provider + "-bench").build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(provider + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
