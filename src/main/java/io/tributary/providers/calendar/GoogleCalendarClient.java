package io.tributary.providers.calendar;

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
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Google Calendar: events of the primary calendar. A full sync follows {@code nextPageToken} and
 * keeps the {@code nextSyncToken} that only the last page carries; later syncs send that token and
 * get only what changed. Cancelled events are removed. A 410 means the token expired: the client
 * drops it and does a full sync, then removes stored events the full sync no longer returned (so
 * nothing is deleted before its replacement is stored).
 */
@ApplicationScoped
public class GoogleCalendarClient implements ProviderClient {

  static final String CURSOR = "events.syncToken";
  private static final GoogleCalendarRules RULES = new GoogleCalendarRules();
  private static final String EVENTS = "/calendars/primary/events";

  private ProviderHttp http;
  private ProviderSettings settings;
  private Clock clock;

  public GoogleCalendarClient() {}

  @Inject
  public GoogleCalendarClient(ProviderHttp http, Config config, Clock clock) {
    this(http, ProviderSettings.from(config, Provider.GOOGLE_CALENDAR), clock);
  }

  public GoogleCalendarClient(ProviderHttp http, ProviderSettings settings, Clock clock) {
    this.http = http;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Provider provider() {
    return Provider.GOOGLE_CALENDAR;
  }

  @Override
  public void sync(SyncSession session) {
    Optional<String> syncToken = session.cursor(CURSOR);
    // No token yet, or Google answered 410 (the token expired): a full sync.
    if (syncToken.isEmpty() || !syncPages(session, syncToken.get())) {
      syncPages(session, null);
    }
  }

  /** @return false when Google answered 410 (full sync required) */
  private boolean syncPages(SyncSession session, String syncToken) {
    boolean full = syncToken == null;
    Set<String> seen = full ? new HashSet<>() : null;
    String pageToken = null;
    while (true) {
      StringBuilder url =
          new StringBuilder(settings.apiUrl() + EVENTS + "?maxResults=250&singleEvents=true&showDeleted=true");
      if (syncToken != null) {
        url.append("&syncToken=").append(OAuthForms.enc(syncToken));
      }
      if (pageToken != null) {
        url.append("&pageToken=").append(OAuthForms.enc(pageToken));
      }
      // Parsed inside the call: a malformed page is retried, never half-stored. 410 has no page.
      JsonObject page =
          http.call(
              session,
              RULES,
              ProviderRequest.get(URI.create(url.toString())),
              r -> r.status() == 410 ? null : r.json());
      if (page == null) { // 410 Gone: the sync token expired
        if (full) {
          throw ProviderException.transientFailure("Google answered 410 to a full sync");
        }
        session.store(new RecordBatch().clearCursor(CURSOR));
        return false;
      }
      JsonArray items = page.getJsonArray("items");
      RecordBatch batch = new RecordBatch();
      if (items != null) {
        for (JsonValue v : items) {
          JsonObject e = v.asJsonObject();
          String id = e.getString("id", null);
          if (id == null) {
            continue;
          }
          if ("cancelled".equals(e.getString("status", ""))) {
            batch.remove("event", id);
          } else {
            batch.upsert(event(e));
            if (seen != null) {
              seen.add(id);
            }
          }
        }
      }
      pageToken = page.getString("nextPageToken", null);
      if (pageToken == null) {
        // Only the last page carries nextSyncToken (PROVIDERS.md): store it with that page.
        String next = page.getString("nextSyncToken", null);
        if (next != null) {
          batch.cursor(CURSOR, next);
        }
        if (full) {
          batch.sweep("event", seen);
        }
        session.store(batch);
        return true;
      }
      // Pages may be short or empty while more follow: trust nextPageToken.
      session.store(batch);
    }
  }

  static SyncedRecord event(JsonObject e) {
    Instant updated;
    try {
      String u = e.getString("updated", null);
      updated = u == null ? null : IsoInstants.parse(u);
    } catch (RuntimeException ex) {
      throw ProviderException.transientFailure("Google sent an unreadable timestamp");
    }
    return new SyncedRecord("event", e.getString("id"), e.getString("summary", null), e.getString("htmlLink", null), updated, e.toString());
  }

  @Override
  public TokenGrant refresh(String refreshToken) {
    return token(
        OAuthForms.fields(
            "grant_type", "refresh_token",
            "refresh_token", refreshToken,
            "client_id", settings.clientId(),
            "client_secret", settings.clientSecret()));
  }

  @Override
  public TokenGrant exchangeCode(String code, URI redirectUri) {
    return token(
        OAuthForms.fields(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", redirectUri.toString(),
            "client_id", settings.clientId(),
            "client_secret", settings.clientSecret()));
  }

  private TokenGrant token(java.util.Map<String, String> form) {
    ProviderResponse r =
        http.sendTokenRequest(ProviderRequest.postForm(settings.tokenUrl(), OAuthForms.form(form)));
    Optional<JsonObject> json = r.jsonIfAny();
    String error = json.map(j -> OAuthForms.string(j, "error")).orElse(null);
    if ("invalid_grant".equals(error)) {
      throw ProviderException.reauth("Google refused the token request: invalid_grant");
    }
    if (r.status() >= 500 || json.isEmpty()) {
      throw ProviderException.transientFailure("Google token endpoint: HTTP " + r.status());
    }
    if (r.status() >= 400 || error != null) {
      throw ProviderException.permanent("Google token endpoint: HTTP " + r.status() + " " + error);
    }
    return OAuthForms.grant(json.get(), clock, null);
  }

  @Override
  public URI authorizeUri(String state, URI redirectUri) {
    return OAuthForms.withQuery(
        settings.authorizeUrl(),
        OAuthForms.fields(
            "client_id", settings.clientId(),
            "redirect_uri", redirectUri.toString(),
            "response_type", "code",
            "scope", settings.scopes(),
            "access_type", "offline",
            "prompt", "consent",
            "state", state));
  }
}
