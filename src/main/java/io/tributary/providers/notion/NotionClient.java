package io.tributary.providers.notion;

import static io.tributary.platform.JsonSupport.JSON;

import io.tributary.platform.time.IsoInstants;
import io.tributary.providers.OAuthForms;
import io.tributary.providers.Provider;
import io.tributary.providers.ProviderClient;
import io.tributary.providers.ProviderException;
import io.tributary.providers.ProviderHttp;
import io.tributary.providers.ProviderRequest;
import io.tributary.providers.ProviderResponse;
import io.tributary.providers.ProviderSettings;
import io.tributary.providers.RecordBatch;
import io.tributary.providers.SyncSession;
import io.tributary.providers.SyncedRecord;
import io.tributary.providers.TokenGrant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Notion: pages and databases through {@code POST /v1/search}, newest edit first. Search has no
 * {@code since}, so an incremental sync reads until it reaches what the cursor already covers.
 */
@ApplicationScoped
public class NotionClient implements ProviderClient {

  static final String CURSOR = "search.last_edited_time";
  private static final NotionRules RULES = new NotionRules();

  private ProviderHttp http;
  private ProviderSettings settings;
  private Clock clock;
  private String notionVersion;

  public NotionClient() {}

  @Inject
  public NotionClient(ProviderHttp http, Config config, Clock clock) {
    this(
        http,
        ProviderSettings.from(config, Provider.NOTION),
        clock,
        config.getOptionalValue("notion.version", String.class).orElse("2022-06-28"));
  }

  public NotionClient(ProviderHttp http, ProviderSettings settings, Clock clock, String notionVersion) {
    this.http = http;
    this.settings = settings;
    this.clock = clock;
    this.notionVersion = notionVersion;
  }

  @Override
  public Provider provider() {
    return Provider.NOTION;
  }

  @Override
  public void sync(SyncSession session) {
    Instant covered = session.cursor(CURSOR).map(Instant::parse).orElse(null);
    Instant newest = covered;
    String startCursor = null;
    boolean more = true;
    while (more) {
      JsonObjectBuilder body =
          JSON.createObjectBuilder()
              .add(
                  "sort",
                  JSON.createObjectBuilder()
                      .add("timestamp", "last_edited_time")
                      .add("direction", "descending"))
              .add("page_size", 100);
      if (startCursor != null) {
        body.add("start_cursor", startCursor);
      }
      JsonObject page =
          http.call(
              session,
              RULES,
              headers(ProviderRequest.postJson(settings.api("/v1/search"), body.build().toString())),
              ProviderResponse::json);
      JsonArray results = page.getJsonArray("results");
      if (results == null) {
        throw ProviderException.transientFailure("Notion search answer has no results");
      }
      List<SyncedRecord> records = new ArrayList<>();
      boolean reachedCovered = false;
      for (JsonValue v : results) {
        SyncedRecord rec = record(v.asJsonObject());
        // Notion rounds last_edited_time to the minute: items edited in the cursor's own minute are
        // read again (and recognised as unchanged) rather than risk missing one.
        if (covered != null && rec.updatedAt() != null && rec.updatedAt().isBefore(covered)) {
          reachedCovered = true;
          break;
        }
        if (rec != null) {
          records.add(rec);
          if (rec.updatedAt() != null && (newest == null || rec.updatedAt().isAfter(newest))) {
            newest = rec.updatedAt();
          }
        }
      }
      startCursor = page.isNull("next_cursor") ? null : page.getString("next_cursor", null);
      more = !reachedCovered && page.getBoolean("has_more", false) && startCursor != null;
      RecordBatch batch = new RecordBatch().upsertAll(records);
      if (!more && newest != null && !newest.equals(covered)) {
        batch.cursor(CURSOR, newest.toString()); // with the last page, in one transaction
      }
      session.store(batch);
    }
  }

  static SyncedRecord record(JsonObject o) {
    String object = o.getString("object", "page");
    String kind = object.equals("page") ? "page" : "database";
    String title = object.equals("page") ? pageTitle(o) : plainText(o.getJsonArray("title"));
    String edited = OAuthForms.string(o, "last_edited_time");
    Instant updated;
    try {
      updated = edited == null ? null : IsoInstants.parse(edited);
    } catch (RuntimeException e) {
      throw ProviderException.transientFailure("Notion sent an unreadable timestamp");
    }
    return new SyncedRecord(kind, OAuthForms.string(o, "id"), title, OAuthForms.string(o, "url"), updated, o.toString());
  }

  private static String pageTitle(JsonObject page) {
    JsonObject props = page.getJsonObject("properties");
    if (props == null) {
      return null;
    }
    for (JsonValue v : props.values()) {
      if (v.getValueType() == JsonValue.ValueType.OBJECT
          && "title".equals(v.asJsonObject().getString("type", ""))) {
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

  private ProviderRequest headers(ProviderRequest r) {
    return r.header("Notion-Version", notionVersion);
  }

  @Override
  public TokenGrant refresh(String refreshToken) {
    return token(
        JSON.createObjectBuilder()
            .add("grant_type", "refresh_token")
            .add("refresh_token", refreshToken)
            .build());
  }

  @Override
  public TokenGrant exchangeCode(String code, URI redirectUri) {
    return token(
        JSON.createObjectBuilder()
            .add("grant_type", "authorization_code")
            .add("code", code)
            .add("redirect_uri", redirectUri.toString())
            .build());
  }

  private TokenGrant token(JsonObject body) {
    ProviderResponse r =
        http.sendTokenRequest(
            ProviderRequest.postJson(settings.tokenUrl(), body.toString())
                .header("Authorization", OAuthForms.basic(settings.clientId(), settings.clientSecret()))
                .header("Notion-Version", notionVersion));
    Optional<JsonObject> json = r.jsonIfAny();
    String code = json.map(j -> j.getString("code", j.getString("error", ""))).orElse("");
    if (r.status() == 400 && code.equals("invalid_grant") || r.status() == 401) {
      throw ProviderException.reauth("Notion refused the token request: " + (code.isEmpty() ? r.status() : code));
    }
    if (r.status() >= 500 || json.isEmpty()) {
      throw ProviderException.transientFailure("Notion token endpoint: HTTP " + r.status());
    }
    if (r.status() >= 400) {
      throw ProviderException.permanent("Notion token endpoint: HTTP " + r.status() + " " + code);
    }
    JsonObject o = json.get();
    return OAuthForms.grant(o, clock, OAuthForms.string(o, "workspace_name"));
  }

  @Override
  public URI authorizeUri(String state, URI redirectUri) {
    return OAuthForms.withQuery(
        settings.authorizeUrl(),
        OAuthForms.fields(
            "client_id", settings.clientId(),
            "redirect_uri", redirectUri.toString(),
            "response_type", "code",
            "owner", "user",
            "state", state));
  }
}
