package io.tributary.providers.slack;

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
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Slack: channels ({@code conversations.list}) and, per channel the bot is a member of, messages
 * ({@code conversations.history}) newer than that channel's cursor ({@code oldest}, exclusive).
 *
 * <p>{@code conversations.history} can be limited to one call a minute (PROVIDERS.md, Slack), so a
 * run reads at most {@code slack.history.channels.per.run} channels, continuing next run where it
 * stopped, and a rate limit met while reading history ends the run's history part instead of failing
 * the connection.
 */
@ApplicationScoped
public class SlackClient implements ProviderClient {

  static final String ROTATION_CURSOR = "history.next_channel";
  private static final SlackRules RULES = new SlackRules();
  private static final Set<String> REAUTH_ERRORS =
      Set.of("invalid_refresh_token", "invalid_grant", "token_revoked", "invalid_auth");

  private ProviderHttp http;
  private ProviderSettings settings;
  private Clock clock;
  private int channelsPerRun;

  public SlackClient() {}

  @Inject
  public SlackClient(ProviderHttp http, Config config, Clock clock) {
    this(
        http,
        ProviderSettings.from(config, Provider.SLACK),
        clock,
        config.getOptionalValue("slack.history.channels.per.run", Integer.class).orElse(50));
  }

  public SlackClient(ProviderHttp http, ProviderSettings settings, Clock clock, int channelsPerRun) {
    this.http = http;
    this.settings = settings;
    this.clock = clock;
    this.channelsPerRun = Math.max(1, channelsPerRun);
  }

  @Override
  public Provider provider() {
    return Provider.SLACK;
  }

  static String historyCursor(String channelId) {
    return "history." + channelId;
  }

  @Override
  public void sync(SyncSession session) {
    List<JsonObject> channels = listChannels(session);
    List<String> memberOf =
        channels.stream()
            .filter(c -> c.getBoolean("is_member", false))
            .map(c -> c.getString("id"))
            .sorted(Comparator.naturalOrder())
            .toList();
    if (memberOf.isEmpty()) {
      return;
    }
    String resumeAt = session.cursor(ROTATION_CURSOR).orElse("");
    int start = 0;
    for (int i = 0; i < memberOf.size(); i++) {
      if (memberOf.get(i).compareTo(resumeAt) >= 0) {
        start = i;
        break;
      }
    }
    int count = Math.min(channelsPerRun, memberOf.size());
    for (int n = 0; n < count; n++) {
      String channel = memberOf.get((start + n) % memberOf.size());
      try {
        syncHistory(session, channel);
      } catch (ProviderException e) {
        if (e.kind() != ProviderException.Kind.RATE_LIMITED) {
          throw e;
        }
        // Degrade, not fail: this channel's cursor is untouched; continue with it next run.
        session.store(new RecordBatch().cursor(ROTATION_CURSOR, channel));
        return;
      }
    }
    String next = memberOf.get((start + count) % memberOf.size());
    session.store(new RecordBatch().cursor(ROTATION_CURSOR, next));
  }

  private List<JsonObject> listChannels(SyncSession session) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = "";
    do {
      String url =
          settings.apiUrl()
              + "/conversations.list?types=public_channel,private_channel&exclude_archived=true&limit=200"
              + (cursor.isEmpty() ? "" : "&cursor=" + OAuthForms.enc(cursor));
      JsonObject page = http.call(session, RULES, ProviderRequest.get(URI.create(url)), ProviderResponse::json);
      JsonArray channels = page.getJsonArray("channels");
      if (channels == null) {
        throw ProviderException.transientFailure("Slack conversations.list answer has no channels");
      }
      List<SyncedRecord> records = new ArrayList<>();
      for (JsonValue v : channels) {
        JsonObject c = v.asJsonObject();
        all.add(c);
        records.add(
            new SyncedRecord("channel", c.getString("id"), "#" + c.getString("name", c.getString("id")), null, null, c.toString()));
      }
      session.store(new RecordBatch().upsertAll(records));
      cursor = nextCursor(page);
    } while (!cursor.isEmpty());
    return all;
  }

  private void syncHistory(SyncSession session, String channel) {
    Optional<String> oldest = session.cursor(historyCursor(channel));
    BigDecimal newest = oldest.map(BigDecimal::new).orElse(null);
    String cursor = "";
    do {
      String url =
          settings.apiUrl()
              + "/conversations.history?channel="
              + OAuthForms.enc(channel)
              + "&limit=200"
              + oldest.map(o -> "&oldest=" + OAuthForms.enc(o)).orElse("")
              + (cursor.isEmpty() ? "" : "&cursor=" + OAuthForms.enc(cursor));
      JsonObject page = http.call(session, RULES, ProviderRequest.get(URI.create(url)), ProviderResponse::json);
      if (!page.getBoolean("ok", false)) {
        return; // channel_not_found / not_in_channel: nothing to read here (SlackRules)
      }
      JsonArray messages = page.getJsonArray("messages");
      if (messages == null) {
        throw ProviderException.transientFailure("Slack conversations.history answer has no messages");
      }
      List<SyncedRecord> records = new ArrayList<>();
      for (JsonValue v : messages) {
        JsonObject m = v.asJsonObject();
        String ts = m.getString("ts", null);
        if (ts == null) {
          continue;
        }
        BigDecimal t = new BigDecimal(ts);
        if (newest == null || t.compareTo(newest) > 0) {
          newest = t;
        }
        records.add(
            new SyncedRecord("message", channel + ":" + ts, m.getString("text", ""), null, instant(ts), m.toString()));
      }
      session.store(new RecordBatch().upsertAll(records));
      cursor = nextCursor(page);
    } while (!cursor.isEmpty());
    if (newest != null && !newest.toPlainString().equals(oldest.orElse(null))) {
      session.store(new RecordBatch().cursor(historyCursor(channel), newest.toPlainString()));
    }
  }

  private static Instant instant(String ts) {
    BigDecimal t = new BigDecimal(ts);
    long seconds = t.longValue();
    long micros = t.subtract(BigDecimal.valueOf(seconds)).movePointRight(6).longValue();
    return Instant.ofEpochSecond(seconds, micros * 1000);
  }

  private static String nextCursor(JsonObject page) {
    JsonObject meta = page.getJsonObject("response_metadata");
    if (meta == null || meta.isNull("next_cursor")) {
      return "";
    }
    return meta.getString("next_cursor", "");
  }

  @Override
  public TokenGrant refresh(String refreshToken) {
    return token(OAuthForms.fields("grant_type", "refresh_token", "refresh_token", refreshToken));
  }

  @Override
  public TokenGrant exchangeCode(String code, URI redirectUri) {
    return token(OAuthForms.fields("code", code, "redirect_uri", redirectUri.toString()));
  }

  private TokenGrant token(java.util.Map<String, String> form) {
    ProviderResponse r =
        http.sendTokenRequest(
            ProviderRequest.postForm(settings.tokenUrl(), OAuthForms.form(form))
                .header("Authorization", OAuthForms.basic(settings.clientId(), settings.clientSecret())));
    Optional<JsonObject> json = r.jsonIfAny();
    if (r.status() >= 500 || json.isEmpty()) {
      throw ProviderException.transientFailure("Slack token endpoint: HTTP " + r.status());
    }
    JsonObject o = json.get();
    String error = o.getBoolean("ok", false) ? null : o.getString("error", "HTTP " + r.status());
    if (error != null) {
      // Unconfirmed whether a bad refresh token is 200 invalid_refresh_token or 400 invalid_grant:
      // both mean the user must reconnect (PROVIDERS.md, Slack).
      String msg = "Slack refused the token request: " + error;
      throw REAUTH_ERRORS.contains(error) ? ProviderException.reauth(msg) : ProviderException.permanent(msg);
    }
    JsonObject team = o.getJsonObject("team");
    return OAuthForms.grant(o, clock, team == null ? null : team.getString("name", null));
  }

  @Override
  public URI authorizeUri(String state, URI redirectUri) {
    return OAuthForms.withQuery(
        settings.authorizeUrl(),
        OAuthForms.fields(
            "client_id", settings.clientId(),
            "scope", settings.scopes(),
            "redirect_uri", redirectUri.toString(),
            "state", state));
  }
}
