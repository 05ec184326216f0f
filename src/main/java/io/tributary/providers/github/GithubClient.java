package io.tributary.providers.github;

import static io.tributary.platform.JsonSupport.JSON;

import io.tributary.platform.time.IsoInstants;
import io.tributary.providers.LinkHeader;
import io.tributary.providers.OAuthForms;
import io.tributary.providers.Provider;
import io.tributary.providers.ProviderClient;
import io.tributary.providers.ProviderException;
import io.tributary.providers.ProviderHttp;
import io.tributary.providers.ProviderJson;
import io.tributary.providers.ProviderRequest;
import io.tributary.providers.ProviderResponse;
import io.tributary.providers.ProviderSettings;
import io.tributary.providers.RecordBatch;
import io.tributary.providers.SyncSession;
import io.tributary.providers.SyncedRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * GitHub: repositories ({@code GET /user/repos}) and issues + pull requests ({@code GET /issues}),
 * each with its own {@code since} cursor, pages followed through the {@code Link} header.
 */
@ApplicationScoped
public class GithubClient implements ProviderClient {

  static final String REPOS_CURSOR = "repos.since";
  static final String ISSUES_CURSOR = "issues.since";
  private static final Set<String> REAUTH_ERRORS =
      Set.of("bad_refresh_token", "invalid_grant", "unauthorized", "bad_verification_code");

  private ProviderHttp http;
  private ProviderSettings settings;
  private Clock clock;

  public GithubClient() {}

  @Inject
  public GithubClient(ProviderHttp http, Config config, Clock clock) {
    this(http, ProviderSettings.from(config, Provider.GITHUB), clock);
  }

  public GithubClient(ProviderHttp http, ProviderSettings settings, Clock clock) {
    this.http = http;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Provider provider() {
    return Provider.GITHUB;
  }

  @Override
  public void sync(SyncSession session) {
    syncStream(session, "/user/repos?per_page=100&sort=updated&direction=desc", REPOS_CURSOR, false);
    syncStream(session, "/issues?filter=all&state=all&per_page=100", ISSUES_CURSOR, true);
  }

  private void syncStream(SyncSession session, String first, String cursorName, boolean issues) {
    Optional<String> since = session.cursor(cursorName);
    String url = settings.apiUrl() + first + since.map(s -> "&since=" + OAuthForms.enc(s)).orElse("");
    GithubRules rules = new GithubRules(session.clock());
    Instant newest = since.map(Instant::parse).orElse(null);
    while (url != null) {
      // Parsed inside the call, so a malformed page is retried like a 5xx and never half-stored.
      Page page = http.call(session, rules, withHeaders(ProviderRequest.get(URI.create(url))), Page::of);
      List<SyncedRecord> records = new ArrayList<>();
      for (JsonValue v : page.items()) {
        JsonObject item = v.asJsonObject();
        SyncedRecord rec = issues ? issue(item) : repository(item);
        records.add(rec);
        if (rec.updatedAt() != null && (newest == null || rec.updatedAt().isAfter(newest))) {
          newest = rec.updatedAt();
        }
      }
      RecordBatch batch = new RecordBatch().upsertAll(records);
      url = page.next();
      if (url == null && newest != null) {
        // The cursor moves with the last page, in the same transaction. `since` returns items
        // updated at or after it: the newest item comes back once more next time and is recognised
        // as unchanged; nothing updated in between is skipped.
        batch.cursor(cursorName, newest.truncatedTo(ChronoUnit.SECONDS).toString());
      }
      session.store(batch);
    }
  }

  /** One page of a GitHub list: its items and the {@code Link: rel="next"} URL, if any. */
  record Page(jakarta.json.JsonArray items, String next) {
    static Page of(ProviderResponse r) {
      jakarta.json.JsonArray items;
      try {
        items = ProviderJson.array(r.body()); // items keep GitHub's own text as their raw JSON
      } catch (RuntimeException e) {
        throw ProviderException.transientFailure("malformed JSON from GitHub");
      }
      return new Page(items, LinkHeader.find(r.header("link").orElse(null), "next").orElse(null));
    }
  }

  static SyncedRecord repository(JsonObject o) {
    return new SyncedRecord(
        "repository",
        OAuthForms.string(o, "id"),
        Optional.ofNullable(OAuthForms.string(o, "full_name")).orElse(OAuthForms.string(o, "name")),
        OAuthForms.string(o, "html_url"),
        instant(OAuthForms.string(o, "updated_at")),
        o.toString());
  }

  static SyncedRecord issue(JsonObject o) {
    boolean pr = o.containsKey("pull_request") && !o.isNull("pull_request");
    return new SyncedRecord(
        pr ? "pull_request" : "issue",
        OAuthForms.string(o, "id"),
        OAuthForms.string(o, "title"),
        OAuthForms.string(o, "html_url"),
        instant(OAuthForms.string(o, "updated_at")),
        o.toString());
  }

  static Instant instant(String s) {
    if (s == null) {
      return null;
    }
    try {
      return IsoInstants.parse(s);
    } catch (RuntimeException e) {
      throw ProviderException.transientFailure("GitHub sent an unreadable timestamp");
    }
  }

  private static ProviderRequest withHeaders(ProviderRequest r) {
    return r.header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .header("User-Agent", "Tributary");
  }

  @Override
  public io.tributary.providers.TokenGrant refresh(String refreshToken) {
    return token(
        OAuthForms.fields(
            "client_id", settings.clientId(),
            "client_secret", settings.clientSecret(),
            "grant_type", "refresh_token",
            "refresh_token", refreshToken));
  }

  @Override
  public io.tributary.providers.TokenGrant exchangeCode(String code, URI redirectUri) {
    return token(
        OAuthForms.fields(
            "client_id", settings.clientId(),
            "client_secret", settings.clientSecret(),
            "code", code,
            "redirect_uri", redirectUri.toString()));
  }

  private io.tributary.providers.TokenGrant token(java.util.Map<String, String> form) {
    ProviderResponse r =
        http.sendTokenRequest(
            ProviderRequest.postForm(settings.tokenUrl(), OAuthForms.form(form))
                .header("Accept", "application/json")
                .header("User-Agent", "Tributary"));
    JsonObject o = r.jsonIfAny().orElse(null);
    if (r.status() >= 500 || o == null) {
      throw ProviderException.transientFailure("GitHub token endpoint: HTTP " + r.status());
    }
    // GitHub answers token errors with HTTP 200 and an `error` field (PROVIDERS.md): any error fails.
    String error = OAuthForms.string(o, "error");
    if (error != null) {
      String msg = "GitHub refused the token request: " + error;
      throw REAUTH_ERRORS.contains(error)
          ? ProviderException.reauth(msg)
          : ProviderException.permanent(msg);
    }
    if (r.status() >= 400) {
      throw ProviderException.permanent("GitHub token endpoint: HTTP " + r.status());
    }
    return OAuthForms.grant(o, clock, null);
  }

  @Override
  public URI authorizeUri(String state, URI redirectUri) {
    return OAuthForms.withQuery(
        settings.authorizeUrl(),
        OAuthForms.fields(
            "client_id", settings.clientId(),
            "redirect_uri", redirectUri.toString(),
            "scope", settings.scopes(),
            "state", state));
  }
}
