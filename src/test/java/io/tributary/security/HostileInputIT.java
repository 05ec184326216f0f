package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Account;
import io.tributary.simulator.Tokens;
import io.tributary.testing.Api;
import io.tributary.testing.Deployments;
import io.tributary.testing.RawHttp;
import io.tributary.testing.TestEnvironment;
import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed and hostile input against every endpoint of the WAR, one table row per request: the JAX-RS
 * API (connections, records, sync, disable/enable, delete, the OAuth connect flow, the cron trigger,
 * executions, monitoring and cleanup) and the dashboard (login form, pages, and every form post).
 *
 * <p>Every answer must be the expected status, never a 5xx, never a stack trace; an API refusal is the
 * JSON error shape; and the database is unchanged (counts and md5 of every business table, compared
 * around each row). A row that expects a 2xx or 3xx says why that input is harmless. Rows marked as
 * refused by the HTTP listener never reach the application: the listener answers them itself, with an
 * empty body.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileInputIT {

  /** Every table an input could change; monitoring's own tables change on their timers and are left out. */
  static final List<String> TABLES =
      List.of(
          "admin_users", "app_users", "connections", "synced_records", "sync_cursors", "cron_job_executions",
          "execution_chunks", "sync_job_locks", "oauth_state_uses");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.tributaryWar();
  }

  @ArquillianResource URL deployed;

  enum Cred {
    NONE,
    ADMIN,
    CRON,
    /** The dashboard: an admin's login session (cookie), and a fresh view state for form posts. */
    SESSION
  }

  /** One request and what the service must answer. */
  static final class Row {
    final String method;
    final String path;
    Cred cred = Cred.NONE;
    final List<String[]> headers = new ArrayList<>();
    byte[] body;
    boolean chunked;
    boolean socket;
    String rawText;
    String formPage;
    String formId;
    Map<String, String> fields;
    String formAction;
    int expect;
    String why;
    /** Answered with an empty body before any application code (the HTTP listener, the Faces resource handler). */
    boolean empty;

    Row(String method, String path) {
      this.method = method;
      this.path = path;
    }

    Row as(Cred c) {
      cred = c;
      return this;
    }

    Row header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Row json(String json) {
      return body("application/json", json);
    }

    Row body(String contentType, String text) {
      return bytes(contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    Row bytes(String contentType, byte[] b) {
      if (contentType != null) {
        header("Content-Type", contentType);
      }
      body = b;
      return this;
    }

    /** Sent on a plain socket (what java.net.http refuses: CR/LF in values, bad %-escapes, chunking). */
    Row socket() {
      socket = true;
      return this;
    }

    Row chunked() {
      chunked = true;
      return socket();
    }

    Row expect(int status) {
      expect = status;
      return this;
    }

    /** Why a 2xx or 3xx is the right answer to this input. */
    Row harmless(int status, String reason) {
      expect = status;
      why = reason;
      return this;
    }

    Row withBasic(String user, String password) {
      return header("Authorization", Api.basic(user, password));
    }

    /** Refused by the HTTP listener before the application: no JSON is possible, none is needed. */
    Row listener(int status, String reason) {
      return empty(status, reason).socket();
    }

    /** Answered with an empty body before any application code runs. */
    Row empty(int status, String reason) {
      expect = status;
      why = reason;
      empty = true;
      return this;
    }

    String shown() {
      String p = path.replaceAll("[\\r\\n\\x00]", "?");
      return method + " " + (p.length() > 72 ? p.substring(0, 72) + "…" : p);
    }

    String endpoint() {
      String p = path.split("\\?")[0];
      String lower = p.toLowerCase();
      if (lower.contains("..") || lower.contains("%2f") || lower.contains("%2e") || lower.contains("%0d") || lower.contains("web-inf")
          || p.startsWith("/jakarta.faces")) {
        return "(paths outside the endpoints: traversal, container files)";
      }
      if (formId != null) {
        return "POST " + p + " (form " + formId + ")";
      }
      if (p.startsWith("/api/connections/")) {
        String rest = p.substring("/api/connections/".length());
        return "/api/connections/{id}" + (rest.contains("/") ? rest.substring(rest.indexOf('/')) : "");
      }
      if (p.startsWith("/api/integrations/")) {
        return "/api/integrations/{provider}" + (p.endsWith("/connect") ? "/connect" : p.endsWith("/callback") ? "/callback" : "");
      }
      if (p.startsWith("/api/cron/executions/")) {
        return "/api/cron/executions/{id}";
      }
      return p.startsWith("/dashboard/") || p.startsWith("/api/") ? p : p.length() > 30 ? p.substring(0, 30) : p;
    }
  }

  static Row req(String method, String path) {
    return new Row(method, path);
  }

  /** A dashboard form: fetched fresh with its view state, then these fields set (a null value removes one). */
  static Row form(String page, String formId, String... kv) {
    Row r = new Row("POST", page);
    r.formPage = page;
    r.formId = formId;
    r.fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      r.fields.put(kv[i], kv[i + 1]);
    }
    return r.as(Cred.SESSION);
  }

  /** A whole request, sent as is: {host} and {admin} (an Authorization line) are filled in. */
  static Row raw(String text) {
    String[] first = text.split("\r\n", 2)[0].split(" ");
    Row r = new Row(first[0], first.length > 1 ? first[1] : "");
    r.rawText = text;
    return r.socket();
  }

  // --- the table -----------------------------------------------------------------------------

  static final String MISSING = "999999999";
  static final String MB1 = "x".repeat(1024 * 1024);
  static final String MB3 = "x".repeat(3 * 1024 * 1024);
  static final String SQL = "' OR 1=1 --";
  static final String DROP = "1; DROP TABLE connections";
  static final String TRAVERSAL = "..%2F..%2Fetc%2Fpasswd";

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String register(String userId, String provider, String token, String extra) {
    return "{\"userId\":" + userId + ",\"provider\":" + provider + ",\"accessToken\":" + token + extra + "}";
  }

  List<Row> rows(long id) {
    List<Row> t = new ArrayList<>();
    String c = "/api/connections";
    String one = c + "/" + id;

    // POST /api/connections: every refusal happens before anything is written.
    t.add(req("POST", c).as(Cred.ADMIN).json(register("5", "\"github\"", "\"t\"", "")).expect(400)); // wrong type
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "[\"github\"]", "\"t\"", "")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "{\"a\":1}", "")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"scopes\":42")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"scopes\":[\"a\\u0000\"]")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"expiresAt\":1700000000")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"expiresAt\":\"+1000000000-01-01T00:00:00Z\"")).expect(400)); // huge
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"expiresAt\":\"-1000000000-01-01T00:00:00Z\"")).expect(400)); // negative
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"expiresAt\":\"1969-12-31T23:59:59Z\"")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"admin\":true")).expect(400)); // unknown field
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", ",\"userId\":\"v\"")).expect(400)); // a field twice
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"t\"", "") + "{\"x\":1}").expect(400)); // two documents
    t.add(req("POST", c).as(Cred.ADMIN).json("{\"userId\":\"u\"").expect(400)); // truncated
    t.add(req("POST", c).as(Cred.ADMIN).json("{'userId':'u'}").expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json("{\"userId\":NaN}").expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json("\uFEFF" + register("\"u\"", "\"github\"", "\"t\"", "")).expect(400)); // BOM
    t.add(req("POST", c).as(Cred.ADMIN).json("[" + register("\"u\"", "\"github\"", "\"t\"", "") + "]").expect(400)); // array
    t.add(req("POST", c).as(Cred.ADMIN).json("\"u\"").expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json("").expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json("[".repeat(20_000) + "]".repeat(20_000)).expect(400)); // deep, under 64 KiB
    t.add(req("POST", c).as(Cred.ADMIN).json("{\"scopes\":" + "[".repeat(40) + "]".repeat(40) + "}").expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"" + SQL + "\"", "\"github' --\"", "\"t\"", "")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"" + DROP + "\"", "\"g\u0456thub\"", "\"t\"", "")).expect(400)); // Cyrillic i
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\\ud800\"", "\"github\"", "\"t\"", "")).expect(400)); // lone surrogate
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"\\u202eu\\u200b\\ud83d\\udca9\"", "\"github\"", "\"t\\u0000\"", "")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"" + "u".repeat(201) + "\"", "\"github\"", "\"t\"", "")).expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"" + MB1 + "\"", "")).expect(413)); // 1 MB
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"" + MB3 + "\"", "")).expect(413));
    t.add(req("POST", c).as(Cred.ADMIN).json(register("\"u\"", "\"github\"", "\"" + MB3 + "\"", "")).chunked().expect(413));
    t.add(req("POST", c).as(Cred.NONE).json(register("\"u\"", "\"github\"", "\"" + MB1 + "\"", "")).expect(401));
    t.add(req("POST", c).as(Cred.ADMIN).body("text/plain", "userId=u").expect(415));
    t.add(req("POST", c).as(Cred.ADMIN).body("application/xml", "<userId>u</userId>").expect(415));
    t.add(req("POST", c).as(Cred.ADMIN).body("application/x-www-form-urlencoded", "userId=u&provider=github").expect(415));
    t.add(req("POST", c).as(Cred.ADMIN).body("multipart/form-data; boundary=x", "--x--").expect(415));
    t.add(req("POST", c).as(Cred.ADMIN).body("application/json; charset=ebcdic", "{}").expect(415));
    t.add(req("POST", c).as(Cred.ADMIN).body("application/json; charset=utf-16", "{}").expect(415));
    t.add(req("POST", c).as(Cred.ADMIN).body("garbage", "{}").expect(400));
    t.add(req("POST", c).as(Cred.ADMIN).json("{}").header("Accept", "application/xml").expect(406));
    t.add(req("POST", c).as(Cred.ADMIN).json("{}").header("Accept", "application/json; charset=ebcdic").expect(406));
    t.add(req("POST", c).as(Cred.CRON).json(register("\"u\"", "\"github\"", "\"t\"", "")).expect(403));

    // GET /api/connections: filters that match nothing are answers, not errors.
    t.add(req("GET", c + "?provider=gitlab").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?provider=" + enc(SQL)).as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?status=" + enc("active' OR '1'='1")).as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?limit=abc").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?limit=-5").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?limit=0").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?limit=99999999999999999999").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?limit=1e3").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?cursor=" + enc(SQL)).as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?cursor=YWZ0ZXI6LTE").as(Cred.ADMIN).expect(400)); // "after:-1"
    t.add(req("GET", c + "?userId=%00").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?userId=%0d%0aSet-Cookie:%20x=1").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "?userId=" + enc(SQL)).as(Cred.ADMIN).harmless(200, "a user filter is a bound parameter: this one matches nobody"));
    t.add(req("GET", c + "?userId=" + enc("\u202e\ud83d\udca9\u200b")).as(Cred.ADMIN).harmless(200, "odd but valid Unicode: matches nobody"));
    t.add(req("GET", c + "?userId=" + "x".repeat(6000)).as(Cred.ADMIN).harmless(200, "an over-long user id matches nobody"));
    t.add(req("GET", c + "?admin=true&debug=1").as(Cred.ADMIN).harmless(200, "unknown query parameters are ignored"));
    t.add(req("GET", c).as(Cred.ADMIN).header("Accept", "text/html").expect(406));
    t.add(req("GET", c).as(Cred.ADMIN).header("Accept", "*/*; q=abc").expect(400));
    t.add(req("GET", c).as(Cred.ADMIN).header("Accept", "application/json; charset=ebcdic").expect(406));
    t.add(req("GET", c).as(Cred.ADMIN).header("Accept-Charset", "ebcdic").harmless(200, "Accept-Charset is not consulted; the answer is UTF-8 JSON"));
    t.add(req("PUT", c).as(Cred.ADMIN).json("{}").expect(405));
    t.add(req("PATCH", one).as(Cred.ADMIN).json("{\"status\":\"disabled\"}").expect(405));
    t.add(req("TRACE", c).as(Cred.ADMIN).empty(405, "TRACE is refused by the HTTP listener itself"));
    t.add(req("FOO", c).as(Cred.ADMIN).expect(405));
    t.add(req("OPTIONS", c).as(Cred.ADMIN).harmless(200, "lists the allowed methods as text (no WADL)"));
    t.add(req("GET", c).as(Cred.CRON).expect(403));
    t.add(req("GET", c).withBasic("admin", SQL).expect(401));
    t.add(req("GET", c).header("Authorization", "Basic " + "Q".repeat(6000)).expect(401));
    t.add(req("GET", c).header("Authorization", "Basic !!!not-base64!!!").expect(401));
    t.add(req("GET", c).header("Authorization", "Negotiate " + SQL).expect(401));

    // GET /api/connections/{id}: ids are positive whole numbers; traversal never leaves the API.
    for (String bad : List.of("abc", "-1", "0", "1.5", "0x10", "99999999999999999999", "%EF%BC%91", enc(SQL), enc(DROP), "%2e%2e", "1%20OR%201=1")) {
      t.add(req("GET", c + "/" + bad).as(Cred.ADMIN).expect(400));
    }
    t.add(req("GET", c + "/" + "9".repeat(5000)).as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "/" + MISSING).as(Cred.ADMIN).expect(404));
    t.add(req("GET", c + "/" + TRAVERSAL).as(Cred.ADMIN).expect(404)); // encoded slashes: refused by the container, JSON via web.xml
    t.add(req("GET", c + "/%2e%2e/%2e%2e/WEB-INF/web.xml").as(Cred.ADMIN).socket().expect(404));
    t.add(req("GET", one + ";jsessionid=x;admin=true").as(Cred.ADMIN).harmless(200, "matrix parameters are ignored: this reads connection " + id));
    t.add(req("GET", c + "/1%00").as(Cred.ADMIN).listener(400, "a NUL in the path"));
    t.add(req("GET", c + "/%C0%AE%C0%AE").as(Cred.ADMIN).listener(400, "overlong UTF-8 for '..'"));
    t.add(req("GET", c + "/" + "9".repeat(20_000)).as(Cred.ADMIN).listener(400, "a request line over the listener's limit"));
    t.add(req("GET", c + "/%ZZ").as(Cred.ADMIN).listener(200,
        "an invalid %-escape: Payara's listener answers 200 with an empty body (and logs an IllegalArgumentException)"
            + " before any application code or security runs; nothing is read or changed"));
    // The same anywhere on the listener, whoever asks: Grizzly's URL decoder throws, Payara's CoyoteAdapter
    // catches only CharConversionException (400) there, logs the rest and leaves the default status (README, Bad input).
    t.add(req("GET", "/%ZZ").listener(200, "an invalid %-escape at the root: the listener's empty 200, no application code runs"));
    t.add(req("GET", "/dashboard/%ZZ").as(Cred.SESSION).listener(200, "an invalid %-escape on the dashboard: the listener's empty 200"));
    t.add(req("GET", "/%").listener(200, "a truncated %-escape: the listener's empty 200"));

    // GET /api/connections/{id}/records
    t.add(req("GET", one + "/records?kind=secrets").as(Cred.ADMIN).expect(400));
    t.add(req("GET", one + "/records?kind=" + enc("event' UNION SELECT access_token_enc FROM connections --")).as(Cred.ADMIN).expect(400));
    t.add(req("GET", one + "/records?limit=5000").as(Cred.ADMIN).expect(400));
    t.add(req("GET", one + "/records?limit=-1").as(Cred.ADMIN).expect(400));
    t.add(req("GET", one + "/records?cursor=YWZ0ZXI6OTk5OTk5OTk5OTk5OTk5OTk5OTk5").as(Cred.ADMIN).expect(400)); // after:huge
    t.add(req("GET", one + "/records?cursor=%00").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "/" + enc(SQL) + "/records").as(Cred.ADMIN).expect(400));
    t.add(req("GET", c + "/" + TRAVERSAL + "/records").as(Cred.ADMIN).expect(404));
    t.add(req("GET", c + "/" + MISSING + "/records").as(Cred.ADMIN).expect(404));
    t.add(req("DELETE", one + "/records").as(Cred.ADMIN).expect(405));

    // POST sync / disable / enable, DELETE: nothing happens to a connection that is not named exactly.
    for (String action : List.of("/sync", "/disable", "/enable")) {
      t.add(req("POST", c + "/abc" + action).as(Cred.ADMIN).expect(400));
      t.add(req("POST", c + "/-1" + action).as(Cred.ADMIN).expect(400));
      t.add(req("POST", c + "/" + enc(DROP) + action).as(Cred.ADMIN).expect(400));
      t.add(req("POST", c + "/" + MISSING + action).as(Cred.ADMIN).json("{\"force\":true}").expect(404));
      t.add(req("POST", c + "/" + MISSING + action).as(Cred.ADMIN).json(MB1).expect(413));
      t.add(req("GET", one + action).as(Cred.ADMIN).expect(405)); // no state change on GET
      t.add(req("POST", one + action).as(Cred.CRON).expect(403));
    }
    t.add(req("POST", one + "/enable").as(Cred.ADMIN).expect(409)); // active, so nothing to enable
    t.add(req("DELETE", c + "/abc").as(Cred.ADMIN).expect(400));
    t.add(req("DELETE", c + "/" + enc(SQL)).as(Cred.ADMIN).expect(400));
    t.add(req("DELETE", c + "/" + MISSING).as(Cred.ADMIN).expect(404));
    t.add(req("DELETE", c).as(Cred.ADMIN).expect(405));
    t.add(req("DELETE", one).as(Cred.CRON).expect(403));
    t.add(req("DELETE", one).expect(401));

    // GET /api/integrations/{provider}/connect and /callback
    String gh = "/api/integrations/github";
    t.add(req("GET", "/api/integrations/gitlab/connect?userId=u").as(Cred.ADMIN).expect(400));
    t.add(req("GET", "/api/integrations/" + enc(SQL) + "/connect?userId=u").as(Cred.ADMIN).expect(400));
    t.add(req("GET", "/api/integrations/" + TRAVERSAL + "/connect?userId=u").as(Cred.ADMIN).expect(404));
    t.add(req("GET", gh + "/connect").as(Cred.ADMIN).expect(400));
    t.add(req("GET", gh + "/connect?userId=").as(Cred.ADMIN).expect(400));
    t.add(req("GET", gh + "/connect?userId=" + "u".repeat(201)).as(Cred.ADMIN).expect(400));
    t.add(req("GET", gh + "/connect?userId=%00").as(Cred.ADMIN).expect(400));
    t.add(req("GET", gh + "/connect?userId=" + enc(SQL)).as(Cred.ADMIN)
        .harmless(303, "to the provider's consent page; the user id travels signed in the state and is stored only by the callback, as a bound parameter"));
    t.add(req("GET", gh + "/connect?userId=u").as(Cred.CRON).expect(403));
    t.add(req("GET", gh + "/callback").expect(400));
    t.add(req("GET", gh + "/callback?code=x").expect(400));
    t.add(req("GET", gh + "/callback?code=x&state=" + enc(SQL)).expect(400));
    t.add(req("GET", gh + "/callback?code=x&state=" + "A".repeat(5000)).expect(400));
    t.add(req("GET", gh + "/callback?code=x&state=eyJ9.e30").expect(400));
    t.add(req("GET", gh + "/callback?code=x&state=%00.%00").expect(400));
    t.add(req("GET", gh + "/callback?code=%00&state=a.b").expect(400));
    t.add(req("GET", gh + "/callback?code=" + "c".repeat(2001) + "&state=a.b").expect(400));
    t.add(req("GET", gh + "/callback?error=access_denied").expect(400));
    t.add(req("GET", gh + "/callback?error=%0d%0aSet-Cookie:%20x=1").expect(400));
    t.add(req("GET", gh + "/callback?code=x&code=y&state=a&state=b").expect(400));
    t.add(req("GET", "/api/integrations/gitlab/callback?code=x&state=a.b").expect(401)); // not a public path
    t.add(req("POST", gh + "/callback").json("{}").expect(405));

    // /api/cron/sync-integrations: no run starts from a malformed trigger.
    String trig = "/api/cron/sync-integrations";
    t.add(req("POST", trig + "?interval=5min").as(Cred.CRON).expect(400));
    t.add(req("POST", trig + "?interval=" + enc("15min' OR 1=1 --")).as(Cred.CRON).expect(400));
    t.add(req("POST", trig + "?interval=-15min").as(Cred.CRON).expect(400));
    t.add(req("POST", trig + "?interval=%00").as(Cred.CRON).expect(400));
    t.add(req("POST", trig + "?interval=15min&interval=30min").as(Cred.CRON).expect(400));
    t.add(req("GET", trig + "?interval=" + "9".repeat(3000)).as(Cred.CRON).expect(400));
    t.add(req("POST", trig + "?interval=15min").as(Cred.CRON).header("Idempotency-Key", "k".repeat(201)).expect(400));
    t.add(req("POST", trig + "?interval=15min").as(Cred.CRON).header("Idempotency-Key", SQL).expect(400));
    t.add(req("POST", trig + "?interval=15min").as(Cred.CRON).header("Idempotency-Key", "caf\u00e9").socket()
        .listener(400, "a header value that is not ASCII"));
    t.add(req("POST", trig + "?interval=bogus").as(Cred.CRON).header("Prefer", "respond-async; " + SQL).expect(400));
    t.add(req("POST", trig + "?interval=bogus").as(Cred.CRON).json(MB1).expect(413));
    t.add(req("POST", trig + "?interval=bogus").as(Cred.ADMIN).body("application/json; charset=ebcdic", "{}").expect(415));
    t.add(req("POST", trig + "?interval=15min").as(Cred.NONE).expect(401));
    t.add(req("POST", trig + "?interval=15min").header("Authorization", "Bearer " + SQL).expect(401));
    t.add(req("DELETE", trig).as(Cred.CRON).expect(405));

    // GET /api/cron/executions/{id}
    for (String bad : List.of("abc", "-1", "0", "1e3", "0x10", "9223372036854775808", enc(SQL), "%2e%2e")) {
      t.add(req("GET", "/api/cron/executions/" + bad).as(Cred.CRON).expect(400));
    }
    t.add(req("GET", "/api/cron/executions/" + MISSING).as(Cred.CRON).expect(404));
    // The container resolves the encoded dots to /api/etc/passwd: outside /api/cron/*, so not for the cron secret.
    t.add(req("GET", "/api/cron/executions/" + TRAVERSAL).as(Cred.CRON).expect(403));
    t.add(req("DELETE", "/api/cron/executions/1").as(Cred.ADMIN).expect(405));

    // GET /api/cron/monitoring
    String mon = "/api/cron/monitoring";
    for (String bad : List.of("-1", "0", "1.5", "abc", "%00", "%EF%BC%91", enc(SQL), "24%20OR%201=1")) {
      t.add(req("GET", mon + "?timeRange=" + bad).as(Cred.CRON).expect(400));
    }
    t.add(req("GET", mon + "?timeRange=" + "9".repeat(500)).as(Cred.CRON).harmless(200, "a huge window is capped to 168 hours (documented)"));
    t.add(req("GET", mon).as(Cred.CRON).header("Accept", "application/xml").expect(406));
    t.add(req("POST", mon).as(Cred.CRON).json("{}").expect(405));

    // POST /api/cron/monitoring/cleanup: nothing is deleted unless the body is exactly right.
    String clean = mon + "/cleanup";
    for (String bad : List.of(
        "{\"retentionDays\":\"30\"}", "{\"retentionDays\":30.0}", "{\"retentionDays\":3e1}", "{\"retentionDays\":true}",
        "{\"retentionDays\":null}", "{\"retentionDays\":[30]}", "{\"retentionDays\":{\"days\":30}}",
        "{\"retentionDays\":-1}", "{\"retentionDays\":0}", "{\"retentionDays\":3651}",
        "{\"retentionDays\":99999999999999999999999999}", "{\"retentionDays\":1e400}", "{\"retentionDays\":-1e400}",
        "{\"retentionDays\":30,\"all\":true}", "{\"retentionDays\":30,\"retentionDays\":1}",
        "{\"retentionDays\":30}{\"retentionDays\":1}", "{\"retentionDays\":30} " + SQL, "[30]", "30", "{}", "{\"retentionDays\":",
        "{\"retentionDays\":\"30; DELETE FROM cron_job_executions\"}", "{\"retentionDays\":30,\"\\u0000\":1}")) {
      t.add(req("POST", clean).as(Cred.CRON).json(bad).expect(400));
    }
    t.add(req("POST", clean).as(Cred.CRON).json("{\"retentionDays\":1" + "0".repeat(70_000) + "}").expect(413));
    t.add(req("POST", clean).as(Cred.CRON).json("{\"retentionDays\":30,\"pad\":\"" + MB1 + "\"}").expect(413));
    t.add(req("POST", clean).as(Cred.CRON).json("{\"retentionDays\":30,\"pad\":\"" + MB3 + "\"}").chunked().expect(413));
    t.add(req("POST", clean).as(Cred.CRON).body("text/plain", "{\"retentionDays\":30}").expect(415));
    t.add(req("POST", clean).as(Cred.CRON).bytes(null, "{\"retentionDays\":30}".getBytes(StandardCharsets.UTF_8)).socket().expect(415));
    t.add(req("POST", clean).as(Cred.CRON).body("application/json; charset=ebcdic", "{\"retentionDays\":30}").expect(415));
    t.add(req("POST", clean).expect(401));
    t.add(req("GET", clean).as(Cred.CRON).expect(405));

    // Header injection and request smuggling: refused by the listener, nothing reflected.
    t.add(raw("GET /api/connections HTTP/1.1\r\nHost: {host}\r\n{admin}X-Test: a\rInjected: yes\r\nConnection: close\r\n\r\n")
        .listener(400, "a bare CR inside a header value"));
    t.add(raw("GET /api/connections HTTP/1.1\r\nHost: {host}\r\n{admin}X-Test: a\nInjected: yes\r\nConnection: close\r\n\r\n")
        .listener(400, "a bare LF inside a header value"));
    t.add(raw("POST /api/cron/sync-integrations?interval=15min HTTP/1.1\r\nHost: {host}\r\n{admin}Idempotency-Key: a\rX-Injected: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .listener(400, "a CR inside the Idempotency-Key"));
    t.add(raw("GET /api/connections HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic YWRtaW46\u0000\r\nConnection: close\r\n\r\n")
        .listener(400, "a NUL inside Authorization"));
    t.add(raw("GET /api/cron/monitoring HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer a\rb\r\nConnection: close\r\n\r\n")
        .listener(400, "a CR inside a bearer token"));
    t.add(raw("POST /api/cron/sync-integrations?interval=bogus HTTP/1.1\r\nHost: {host}\r\n{admin}Prefer: respond-async\r\n\tX-Injected: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .expect(400)); // an obsolete folded line is part of Prefer; the bad interval is refused
    t.add(raw("GET /api/connections?x=1\r\nInjected: 1 HTTP/1.1\r\nHost: {host}\r\n{admin}Connection: close\r\n\r\n")
        .harmless(200, "a line break ends the request line: the rest is a header line of this request; nothing is injected into the answer"));
    t.add(raw("POST /api/connections HTTP/1.1\r\nHost: {host}\r\n{admin}Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 50\r\nConnection: close\r\n\r\n{\"a\":1}")
        .listener(400, "two Content-Length headers"));
    t.add(raw("POST /api/connections HTTP/1.1\r\nHost: {host}\r\n{admin}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nDELETE /api/connections/1 HTTP/1.1\r\nHost: {host}\r\n\r\n")
        .expect(400)); // chunked wins (an empty body); the smuggled DELETE is never run
    t.add(raw("POST /api/connections HTTP/1.1\r\nHost: {host}\r\n{admin}Content-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n")
        .listener(400, "a negative Content-Length"));
    t.add(raw("POST /api/connections HTTP/1.1\r\nHost: {host}\r\n{admin}Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n")
        .listener(400, "a Content-Length beyond 64 bits"));
    t.add(raw("GET /api/connections HTTP/1.1\r\nHost: {host}\r\n{admin}X-Big: " + "x".repeat(20_000) + "\r\nConnection: close\r\n\r\n")
        .listener(400, "a header block over the listener's limit"));
    t.add(raw("GET /api/connections/abc HTTP/1.1\r\nHost: evil.example\r\n{admin}Connection: close\r\n\r\n").expect(400));

    // The dashboard: pages take GET parameters leniently (unknown values are ignored), forms need a token.
    t.add(req("GET", "/dashboard/integrations?user=%00").as(Cred.SESSION).harmless(200, "the user filter is ignored (shown as not applied)"));
    t.add(req("GET", "/dashboard/integrations?user=" + enc(SQL) + "&provider=%00&status=" + enc(DROP) + "&after=-1&before=99999999999999999999&size=1000000")
        .as(Cred.SESSION).harmless(200, "unknown filter values are ignored; the user filter matches nobody"));
    t.add(req("GET", "/dashboard/execution?id=" + enc(SQL)).as(Cred.SESSION).harmless(200, "says the execution was not found"));
    t.add(req("GET", "/dashboard/execution?id=-1").as(Cred.SESSION).harmless(200, "says the execution was not found"));
    t.add(req("GET", "/dashboard/execution?id=99999999999999999999").as(Cred.SESSION).harmless(200, "says the execution was not found"));
    t.add(req("GET", "/dashboard/monitoring?range=%00&refresh=%0d%0a").as(Cred.SESSION).harmless(200, "an unknown range is the default one"));
    t.add(req("GET", "/dashboard/admins").as(Cred.SESSION).expect(403)); // a protected view without its token
    t.add(req("GET", "/dashboard/admins?jakarta.faces.Token=" + enc(SQL)).as(Cred.SESSION).expect(403));
    t.add(req("GET", "/dashboard/" + TRAVERSAL).as(Cred.SESSION).listener(400, "encoded slashes under /dashboard"));
    t.add(req("GET", "/dashboard/../WEB-INF/web.xml").as(Cred.SESSION).socket().expect(404));
    t.add(req("GET", "/WEB-INF/web.xml").expect(404));
    t.add(req("GET", "/dashboard/nothing-here.xhtml").as(Cred.SESSION).expect(404));
    t.add(req("GET", "/jakarta.faces.resource/dashboard.css.xhtml?ln=..%2F..%2FWEB-INF").empty(404,
        "the Faces resource handler refuses a library name that climbs out, with an empty 404 (no file is read)"));
    t.add(req("GET", "/dashboard/monitoring%0d%0aSet-Cookie:%20x=1").harmless(302,
        "to the login page; the path travels percent-encoded in ?next=, so no header is injected"));
    t.add(req("GET", "/errors/access").expect(404));

    // The login form (public): each wrong login below waits 1 s; fewer than ten, or the address is blocked.
    t.add(form("/login", "login", "login:username", SQL, "login:password", "x", "login:signin", "Sign in").as(Cred.NONE)
        .harmless(200, "the login page again: 'The username or password is wrong.'"));
    t.add(form("/login", "login", "login:username", "admin\u0000", "login:password", TestEnvironment.ADMIN_PASSWORD, "login:signin", "Sign in").as(Cred.NONE)
        .harmless(200, "the login page again: 'The username or password is wrong.'"));
    t.add(form("/login", "login", "login:username", "admin\r\nSet-Cookie: x=1", "login:password", "x", "login:signin", "Sign in").as(Cred.NONE)
        .harmless(200, "the login page again: 'The username or password is wrong.'"));
    t.add(form("/login", "login", "login:username", "\u202eadmin\ud83d\udca9", "login:password", "p".repeat(5000), "login:signin", "Sign in").as(Cred.NONE)
        .harmless(200, "the login page again: 'The username or password is wrong.'"));
    t.add(form("/login", "login", "login:username", "admin", "login:password", "wrong-" + SQL, "next", "https://evil.example/", "role", "admin", "login:signin", "Sign in").as(Cred.NONE)
        .harmless(200, "the login page again; unknown fields are ignored and next is never followed off the dashboard"));
    t.add(form("/login", "login", "login:username", "", "login:password", "", "login:signin", "Sign in").as(Cred.NONE)
        .harmless(200, "the login page again: both fields are required"));
    t.add(form("/login", "login", "jakarta.faces.ViewState", null, "login:username", "admin", "login:signin", "Sign in").as(Cred.NONE).expect(403));
    t.add(form("/login", "login", "jakarta.faces.ViewState", SQL, "login:username", "admin", "login:signin", "Sign in").as(Cred.NONE).expect(403));
    t.add(form("/login", "login", "login:username", MB1, "login:signin", "Sign in").as(Cred.NONE).expect(413));
    t.add(form("/login", "login", "login:username", MB3, "login:signin", "Sign in").as(Cred.NONE).expect(413));
    // A chunked form has no length to check first; the listener drops parameters past its 2 MB
    // limit, so the post arrives without its token.
    t.add(form("/login", "login", "login:username", MB3, "login:signin", "Sign in").as(Cred.NONE).chunked().expect(403));
    t.add(req("POST", "/login").body("application/x-www-form-urlencoded; charset=ebcdic", "login=login&jakarta.faces.ViewState=1").expect(403));
    t.add(req("POST", "/login").json("{\"username\":\"admin\"}").expect(403));

    // Dashboard form posts (signed in): forged or missing tokens are 403; hostile fields change nothing.
    t.add(form("/dashboard/monitoring", "run15", "jakarta.faces.ViewState", null, "run15:go", "Run").expect(403));
    t.add(form("/dashboard/monitoring", "run15", "jakarta.faces.ViewState", SQL, "run15:go", "Run").expect(403));
    t.add(form("/dashboard/monitoring", "run30", "jakarta.faces.ViewState", "-1:-1", "run30:go", "Run").expect(403));
    t.add(form("/dashboard/monitoring", "run15", "range", "%00" + SQL, "refresh", "\r\n")
        .harmless(200, "no button was pressed: the page is shown again, nothing runs"));
    t.add(form("/dashboard/monitoring", "run15", "run15:go", "Run", "pad", MB1).expect(413));
    t.add(form("/dashboard/integrations", "conns", "conns:rows:99:sync", "Sync now")
        .harmless(200, "a button for a row the page never showed: no action runs, the page is shown again"));
    t.add(form("/dashboard/integrations", "conns", "conns:rows:-1:disable", "Disable")
        .harmless(200, "a button for a row the page never showed: no action runs, the page is shown again"));
    t.add(form("/dashboard/integrations", "conns", "conns:rows:0:enable", "Enable")
        .harmless(200, "row 0 is active, so it has no Enable button: the post runs no action"));
    t.add(form("/dashboard/integrations", "conns", "conns:rows:" + enc(SQL) + ":sync", "Sync now")
        .harmless(200, "no such button: the post runs no action"));
    t.add(form("/dashboard/integrations", "conns", "jakarta.faces.ViewState", null, "conns:rows:0:disable", "Disable").expect(403));
    t.add(form("/dashboard/integrations", "conns", "jakarta.faces.ViewState", "1:2", "conns:rows:0:disable", "Disable").expect(403));
    t.add(form("/dashboard/admins", "add", "add:username", "x'; DROP TABLE admin_users; --", "add:password", "p".repeat(20), "add:again", "p".repeat(20), "add:create", "Add")
        .harmless(200, "the admins page again: 'The username may contain only letters…'"));
    t.add(form("/dashboard/admins", "add", "add:username", "a".repeat(5000), "add:password", "\u0000".repeat(20), "add:again", "\u0000".repeat(20), "add:create", "Add")
        .harmless(200, "the admins page again: the username is too long"));
    t.add(form("/dashboard/admins", "add", "add:username", "new.admin", "add:password", "p".repeat(20), "add:again", "q".repeat(20), "add:create", "Add")
        .harmless(200, "the admins page again: the two passwords differ"));
    t.add(form("/dashboard/admins", "add", "add:username", "new\u202eadmin\ud83d\udca9", "add:password", "p".repeat(2000), "add:again", "p".repeat(2000), "add:create", "Add")
        .harmless(200, "the admins page again: refused username"));
    t.add(form("/dashboard/admins", "list", "list:rows:7:remove", "Remove")
        .harmless(200, "a Remove button for a row the page never showed: nothing is done"));
    t.add(form("/dashboard/admins", "password", "password:current", SQL, "password:new", "n".repeat(20), "password:again", "n".repeat(20), "password:change", "Change")
        .harmless(200, "the admins page again: 'The current password is wrong.'"));
    t.add(form("/dashboard/admins", "add", "jakarta.faces.ViewState", null, "add:username", "evil", "add:create", "Add").expect(403));
    t.add(form("/dashboard/admins", "add", "add:username", "evil", "add:password", MB1, "add:create", "Add").expect(413));
    t.add(form("/dashboard/admins", "add", "add:username", "evil", "add:create", "Add").as(Cred.NONE)
        .harmless(303, "no session: to the login page, and the post is not repeated after it"));
    return t;
  }

  // --- running the table ---------------------------------------------------------------------

  URI base;
  int port;
  HttpClient adminBrowser;

  @Test
  void everyEndpointAnswersHostileInputWith4xxAndChangesNothing() throws Exception {
    base = Deployments.loopback(deployed);
    port = base.getPort();
    Api admin = new Api(base).asAdmin();
    long id = seedConnection(admin);
    adminBrowser = signIn();

    List<Row> table = rows(id);
    StringBuilder failures = new StringBuilder();
    Map<String, Map<Integer, Integer>> byEndpoint = new TreeMap<>();
    int fiveHundreds = 0;
    for (Row row : table) {
      String before = fingerprint();
      Api.Reply r;
      try {
        r = send(row);
      } catch (Exception e) {
        failures.append(row.shown()).append(" [").append(row.cred).append("]: no answer: ").append(e).append('\n');
        continue;
      }
      String after = fingerprint();
      byEndpoint.computeIfAbsent(row.endpoint(), k -> new TreeMap<>()).merge(r.status(), 1, Integer::sum);
      String problem = problem(row, r, before, after);
      if (r.status() >= 500) {
        fiveHundreds++;
      }
      if (problem != null) {
        String body = r.body().length() > 300 ? r.body().substring(0, 300) + "…" : r.body();
        failures.append(row.shown()).append(" [").append(row.cred).append("]: ").append(problem)
            .append(" (answered ").append(r.status()).append(' ').append(body.replace('\n', ' ')).append(")\n");
      }
    }
    StringBuilder summary = new StringBuilder("endpoint | cases | statuses\n");
    byEndpoint.forEach(
        (endpoint, statuses) ->
            summary.append(endpoint).append(" | ").append(statuses.values().stream().mapToInt(Integer::intValue).sum())
                .append(" | ").append(statuses.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(" ")))
                .append('\n'));
    System.out.println(summary);
    assertEquals("", failures.toString(), "rows that did not get the expected answer");
    assertEquals(0, fiveHundreds);
    assertEquals(200, new Api(base).get("/health/ready").status(), "still ready");
    System.out.println("Bad-input cases tried: " + table.size() + ", 5xx: " + fiveHundreds);
  }

  static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$]+(\\.[\\w$]+)+\\(|\\b(java|javax|jakarta|org|com|io)\\.[\\w.$]*(Exception|Error)\\b");

  /** What is wrong with the answer to {@code row}, or null when nothing is. */
  static String problem(Row row, Api.Reply r, String before, String after) {
    if (r.status() != row.expect) {
      return "expected " + row.expect;
    }
    if (r.status() >= 500) {
      return "a 5xx";
    }
    if (!before.equals(after)) {
      return "the database changed";
    }
    String body = r.body();
    if (STACK_FRAME.matcher(body).find()) {
      return "a stack trace in the body";
    }
    // An answer with data may quote an exception's simple name that a sync recorded as its error
    // (other tests' connections share this database); a refusal never names one.
    if (r.status() >= 400 && body.contains("Exception")) {
      return "an exception name in a refusal";
    }
    if ((r.status() < 400 || row.empty) && row.why == null) {
      return "a row answered outside 4xx must say why that is right";
    }
    String type = r.header("Content-Type") == null ? "" : r.header("Content-Type");
    if (r.headers().keySet().stream().anyMatch(h -> h.toLowerCase().contains("injected"))
        || r.headers().getOrDefault("set-cookie", List.of()).stream().anyMatch(v -> v.startsWith("x="))) {
      return "a header was injected into the answer";
    }
    boolean api = row.path.startsWith("/api/") || row.path.startsWith("/errors/");
    if (r.status() >= 400 && !row.empty) {
      boolean jsonError = type.startsWith("application/json") && body.startsWith("{\"error\":\"");
      boolean refusedPage = type.startsWith("text/html") && body.contains("Request refused");
      if (api && !jsonError) {
        return "an API refusal must be the JSON error shape";
      }
      if (!api && !jsonError && !refusedPage) {
        return "a dashboard refusal must be the refused page or the JSON error";
      }
      if (api && body.contains("jakarta.")) {
        return "an internal class name in the body";
      }
    }
    if (row.empty && !body.isEmpty()) {
      return "the listener's answer was expected to be empty";
    }
    return null;
  }

  // --- transport -----------------------------------------------------------------------------

  Api.Reply send(Row row) throws Exception {
    HttpClient client = row.cred == Cred.SESSION ? adminBrowser : browser();
    if (row.formId != null) {
      fillForm(row, client);
    }
    String path = row.formAction != null ? row.formAction : row.path;
    String auth =
        switch (row.cred) {
          case ADMIN -> Api.basic(TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD);
          case CRON -> "Bearer " + TestEnvironment.CRON_SECRET;
          default -> null;
        };
    if (row.rawText != null) {
      String text =
          row.rawText.replace("{host}", "127.0.0.1:" + port)
              .replace("{admin}", "Authorization: " + Api.basic(TestEnvironment.ADMIN_USERNAME, TestEnvironment.ADMIN_PASSWORD) + "\r\n");
      return RawHttp.send(port, text.getBytes(StandardCharsets.ISO_8859_1));
    }
    if (row.socket) {
      List<String[]> headers = new ArrayList<>();
      headers.add(new String[] {"Host", "127.0.0.1:" + port});
      if (auth != null) {
        headers.add(new String[] {"Authorization", auth});
      }
      String cookies = cookies(client);
      if (!cookies.isEmpty()) {
        headers.add(new String[] {"Cookie", cookies});
      }
      headers.addAll(row.headers);
      return RawHttp.send(port, RawHttp.request(row.method, path, headers, row.body, row.chunked));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofMinutes(2));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    for (String[] h : row.headers) {
      b.header(h[0], h[1]);
    }
    b.method(row.method, row.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(row.body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Api.Reply(r.statusCode(), r.body(), r.headers().map());
  }

  HttpClient browser() {
    return Api.browser();
  }

  static String cookies(HttpClient client) {
    return ((CookieManager) client.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
        .map(c -> c.getName() + "=" + c.getValue())
        .collect(Collectors.joining("; "));
  }

  /** Fetches the row's page with its client, reads the form, applies the row's fields as its body. */
  void fillForm(Row row, HttpClient client) throws Exception {
    String page = row.formPage;
    if (row.cred == Cred.NONE && page.startsWith("/dashboard/")) {
      // No session, so no page to read the form from: the fields alone, as a forged cross-site post.
      formBody(row, new LinkedHashMap<>(row.fields), page);
      return;
    }
    if (page.equals("/dashboard/admins")) {
      // A protected view: opened through the dashboard's own link, which carries its token.
      Matcher m = Pattern.compile("href=\"([^\"]*/dashboard/admins\\?[^\"]*)\"").matcher(get(client, "/dashboard/monitoring"));
      assertTrue(m.find(), "the dashboard links to the admins page");
      page = m.group(1).replace("&amp;", "&");
    }
    String html = get(client, page);
    Matcher f = Pattern.compile("<form id=\"" + Pattern.quote(row.formId) + "\"[^>]*action=\"([^\"]*)\"(.*?)</form>", Pattern.DOTALL).matcher(html);
    if (!f.find()) {
      throw new IllegalStateException("no form " + row.formId + " on " + page);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher input = Pattern.compile("<input[^>]*>").matcher(f.group(2));
    while (input.find()) {
      String tag = input.group();
      String name = attribute(tag, "name");
      if (name != null && !"submit".equals(attribute(tag, "type"))) {
        fields.put(name, attribute(tag, "value") == null ? "" : attribute(tag, "value"));
      }
    }
    row.fields.forEach((k, v) -> {
      if (v == null) {
        fields.remove(k);
      } else {
        fields.put(k, v);
      }
    });
    formBody(row, fields, f.group(1).replace("&amp;", "&"));
  }

  static void formBody(Row row, Map<String, String> fields, String action) {
    fields.values().removeIf(java.util.Objects::isNull);
    String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    row.headers.removeIf(h -> h[0].equals("Content-Type"));
    row.header("Content-Type", "application/x-www-form-urlencoded");
    row.body = body.getBytes(StandardCharsets.UTF_8);
    row.formAction = action;
  }

  static String attribute(String tag, String name) {
    Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(tag);
    return m.find() ? m.group(1).replace("&amp;", "&") : null;
  }

  String get(HttpClient client, String path) throws Exception {
    HttpResponse<String> r =
        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), "GET " + path);
    return r.body();
  }

  /** Signs in through the login form, as a browser does: the session every SESSION row uses. */
  HttpClient signIn() throws Exception {
    HttpClient b = browser();
    Row login = form("/login", "login", "login:username", TestEnvironment.ADMIN_USERNAME, "login:password", TestEnvironment.ADMIN_PASSWORD,
        "login:signin", "Sign in");
    fillForm(login, b);
    HttpResponse<String> r =
        b.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + login.formAction))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofByteArray(login.body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(302, r.statusCode(), "signed in: " + r.body());
    return b;
  }

  /** One GitHub connection with synced records, so the record and action paths have something to guard. */
  long seedConnection(Api admin) {
    Account a = TestEnvironment.simulator().account("github", "hostile-" + System.nanoTime());
    a.seed(3);
    Tokens tokens = a.issueTokens(Duration.ofHours(2), true);
    Api.Reply r =
        admin.post("/api/connections",
            "{\"userId\":\"hostile-" + System.nanoTime() + "\",\"provider\":\"github\",\"accessToken\":\"" + tokens.accessToken()
                + "\",\"refreshToken\":\"" + tokens.refreshToken() + "\"}");
    assertEquals(201, r.status(), r.toString());
    long id = r.json().getJsonNumber("id").longValue();
    Api.Reply sync = admin.post("/api/connections/" + id + "/sync", null);
    assertEquals("success", sync.json().getString("status"), sync.toString());
    return id;
  }

  /** Count and md5 of every row of every table an input could change. */
  static String fingerprint() throws Exception {
    StringBuilder f = new StringBuilder();
    try (Connection c = TestEnvironment.database().connect(); Statement s = c.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs =
            s.executeQuery("SELECT COUNT(*), md5(COALESCE(string_agg(t::text, ',' ORDER BY t::text), '')) FROM " + table + " t")) {
          rs.next();
          f.append(table).append('=').append(rs.getLong(1)).append(':').append(rs.getString(2)).append(' ');
        }
      }
    }
    return f.toString();
  }
}
