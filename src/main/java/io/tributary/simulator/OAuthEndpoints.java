package io.tributary.simulator;

import io.tributary.simulator.TokenRegistry.Code;
import io.tributary.simulator.TokenRegistry.Refreshed;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The four providers' OAuth endpoints: authorize (a redirect back with a code, no login page) and
 * token (authorization-code and refresh grants), each with its provider's request format, answer
 * and error shapes (PROVIDERS.md, "Token refresh" / "OAuth" of each provider).
 *
 * <p>Any client id and secret are accepted, but they must be sent the provider's way.
 */
final class OAuthEndpoints {
  /** The account a code is for when the authorize request names none. */
  static final String DEFAULT_LOGIN = "demo-user";

  private static final String SLACK_SCOPES =
      "channels:read,channels:history,groups:read,groups:history";
  private static final String GOOGLE_SCOPE = "https://www.googleapis.com/auth/calendar.readonly";

  private final ProviderSimulator sim;

  OAuthEndpoints(ProviderSimulator sim) {
    this.sim = sim;
  }

  /**
   * {@code GET <authorize>?client_id&redirect_uri&state&scope&response_type=code}: redirects to
   * redirect_uri with a code and the same state. Simulator-only parameters: {@code login} names the
   * account (default "demo-user"), {@code deny=true} answers {@code error=access_denied}.
   */
  SimResponse authorize(Provider provider, SimRequest request) {
    String redirectUri = request.param("redirect_uri");
    if (!request.method().equals("GET")) {
      return SimResponse.text(405, "text/plain; charset=utf-8", "Use GET.");
    }
    if (redirectUri == null || redirectUri.isBlank() || request.param("client_id") == null) {
      return SimResponse.text(
          400, "text/plain; charset=utf-8", "client_id and redirect_uri are required.");
    }
    String state = request.param("state");
    StringBuilder location =
        new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
    if ("true".equals(request.param("deny"))) {
      location.append("error=access_denied");
    } else {
      String login = request.param("login");
      login = login == null || login.isBlank() ? DEFAULT_LOGIN : login;
      location.append("code=").append(encode(sim.tokens().newCode(provider, login, redirectUri)));
    }
    if (state != null) {
      location.append("&state=").append(encode(state));
    }
    return SimResponse.redirect(location.toString());
  }

  /** The token endpoint of {@code provider}. */
  SimResponse token(Provider provider, SimRequest request) {
    if (!request.method().equals("POST")) {
      return SimResponse.text(405, "text/plain; charset=utf-8", "Use POST.");
    }
    if (sim.faults(provider.id).tokenEndpointDown()) {
      return SimResponse.json(
          503,
          JsonBodies.object()
              .add("error", "temporarily_unavailable")
              .add("error_description", "The token endpoint is down (simulated).")
              .build());
    }
    return switch (provider) {
      case GITHUB -> github(request);
      case NOTION -> notion(request);
      case SLACK -> slack(request);
      case GOOGLE_CALENDAR -> google(request);
    };
  }

  // ---- GitHub: form (or query) parameters, errors as HTTP 200 ----

  private SimResponse github(SimRequest request) {
    Map<String, List<String>> params = new LinkedHashMap<>(request.query());
    request.form().forEach(params::putIfAbsent); // GitHub takes the parameters either way
    boolean json = acceptsJson(request);
    if (blank(params, "client_id") || blank(params, "client_secret")) {
      return githubError(
          json,
          "incorrect_client_credentials",
          "The client_id and/or client_secret passed are incorrect.");
    }
    String grant = SimRequest.first(params, "grant_type");
    Tokens tokens;
    if ("refresh_token".equals(grant)) {
      Refreshed refreshed =
          sim.tokens()
              .refresh(Provider.GITHUB, SimRequest.first(params, "refresh_token"), sim.generated());
      if (refreshed == null) {
        // HTTP 200 with an error field: PROVIDERS.md says treat any error field as failure.
        return githubError(
            json, "bad_refresh_token", "The refresh token passed is incorrect or expired.");
      }
      tokens = refreshed.tokens();
    } else if (grant == null || "authorization_code".equals(grant)) {
      Code code = sim.tokens().takeCode(Provider.GITHUB, SimRequest.first(params, "code"));
      if (code == null) {
        return githubError(
            json, "bad_verification_code", "The code passed is incorrect or expired.");
      }
      if (redirectMismatch(code, SimRequest.first(params, "redirect_uri"))) {
        return githubError(
            json,
            "redirect_uri_mismatch",
            "The redirect_uri MUST match the registered callback URL for this application.");
      }
      tokens = exchange(code);
    } else {
      return githubError(json, "unsupported_grant_type", "The grant type is not supported.");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("access_token", tokens.accessToken());
    if (tokens.expiresInSeconds() != null) {
      fields.put("expires_in", tokens.expiresInSeconds()); // only for expiring tokens
    }
    if (tokens.refreshToken() != null) {
      fields.put("refresh_token", tokens.refreshToken());
      if (tokens.expiresInSeconds() != null) {
        fields.put("refresh_token_expires_in", 15_811_200L);
      }
    }
    fields.put("token_type", "bearer");
    fields.put("scope", "");
    return githubAnswer(json, fields);
  }

  /** GitHub answers JSON only when asked with {@code Accept: application/json}, else a form. */
  private static SimResponse githubAnswer(boolean json, Map<String, Object> fields) {
    if (json) {
      JsonObjectBuilder body = JsonBodies.object();
      fields.forEach(
          (name, value) -> {
            if (value instanceof Long number) {
              body.add(name, number);
            } else {
              body.add(name, String.valueOf(value));
            }
          });
      return SimResponse.json(200, body.build());
    }
    StringBuilder form = new StringBuilder();
    fields.forEach(
        (name, value) ->
            form.append(form.length() == 0 ? "" : "&")
                .append(encode(name))
                .append('=')
                .append(encode(String.valueOf(value))));
    return SimResponse.text(
        200, "application/x-www-form-urlencoded; charset=utf-8", form.toString());
  }

  private static SimResponse githubError(boolean json, String error, String description) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("error", error);
    fields.put("error_description", description);
    fields.put(
        "error_uri",
        "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors");
    return githubAnswer(json, fields);
  }

  // ---- Notion: JSON body, HTTP Basic client credentials ----

  private SimResponse notion(SimRequest request) {
    if (request.basicCredentials() == null) {
      return NotionApi.error(
          401, "invalid_client", "Send client_id:client_secret as HTTP Basic authentication.");
    }
    JsonObject body;
    try {
      JsonValue value = JsonBodies.parse(request.body());
      if (!(value instanceof JsonObject object)) {
        return NotionApi.error(400, "invalid_json", "Error parsing JSON body.");
      }
      body = object;
    } catch (JsonException | IllegalStateException e) {
      return NotionApi.error(400, "invalid_json", "Error parsing JSON body.");
    }
    String grant = body.getString("grant_type", null);
    Tokens tokens;
    if ("refresh_token".equals(grant)) {
      Refreshed refreshed =
          sim.tokens()
              .refresh(Provider.NOTION, body.getString("refresh_token", null), sim.generated());
      if (refreshed == null) {
        return NotionApi.error(400, "invalid_grant", "Invalid refresh token.");
      }
      tokens = refreshed.tokens();
    } else if ("authorization_code".equals(grant)) {
      Code code = sim.tokens().takeCode(Provider.NOTION, body.getString("code", null));
      if (code == null || redirectMismatch(code, body.getString("redirect_uri", null))) {
        return NotionApi.error(400, "invalid_grant", "Invalid code.");
      }
      tokens = exchange(code);
    } else {
      return NotionApi.error(400, "unsupported_grant_type", "Unsupported grant_type.");
    }
    // No expires_in: Notion sends none (PROVIDERS.md).
    JsonObjectBuilder answer =
        JsonBodies.object().add("access_token", tokens.accessToken()).add("token_type", "bearer");
    JsonBodies.addNullable(answer, "refresh_token", tokens.refreshToken());
    return SimResponse.json(
        200,
        answer
            .add("bot_id", "b0751d3e-5b3a-4c2f-9d8e-7a6b5c4d3e2f")
            .add("workspace_id", "0c0a2e6d-9f1b-4e7a-8c3d-2b1a0f9e8d7c")
            .add("workspace_name", "Tributary Simulator")
            .addNull("workspace_icon")
            .add(
                "owner",
                JsonBodies.object()
                    .add("type", "user")
                    .add(
                        "user",
                        JsonBodies.object()
                            .add("object", "user")
                            .add("id", "6e2b4d1a-0c5e-4f7a-9b1d-3f2a8c7e5d40")))
            .addNull("duplicated_template_id")
            .add("request_id", UUID.randomUUID().toString())
            .build());
  }

  // ---- Slack: form, client credentials as HTTP Basic (or form), errors as HTTP 200 ----

  private SimResponse slack(SimRequest request) {
    Map<String, List<String>> form = request.form();
    if (request.basicCredentials() == null
        && (blank(form, "client_id") || blank(form, "client_secret"))) {
      return SlackApi.failure("invalid_client_id");
    }
    String grant = SimRequest.first(form, "grant_type");
    Tokens tokens;
    if ("refresh_token".equals(grant)) {
      Refreshed refreshed =
          sim.tokens()
              .refresh(Provider.SLACK, SimRequest.first(form, "refresh_token"), sim.generated());
      if (refreshed == null) {
        return SlackApi.failure("invalid_refresh_token");
      }
      tokens = refreshed.tokens();
    } else if (grant == null || "authorization_code".equals(grant)) {
      Code code = sim.tokens().takeCode(Provider.SLACK, SimRequest.first(form, "code"));
      if (code == null) {
        return SlackApi.failure("invalid_code");
      }
      if (redirectMismatch(code, SimRequest.first(form, "redirect_uri"))) {
        return SlackApi.failure("bad_redirect_uri");
      }
      tokens = exchange(code);
    } else {
      return SlackApi.failure("invalid_grant_type");
    }
    JsonObjectBuilder answer =
        JsonBodies.object()
            .add("ok", true)
            .add("app_id", "A0SIMAPP01")
            .add("authed_user", JsonBodies.object().add("id", "U0SIMUSER1"))
            .add("scope", SLACK_SCOPES)
            .add("token_type", "bot")
            .add("access_token", tokens.accessToken())
            .add("bot_user_id", "U0SIMBOT01");
    JsonBodies.addNullable(answer, "refresh_token", tokens.refreshToken());
    if (tokens.expiresInSeconds() != null) {
      answer.add("expires_in", tokens.expiresInSeconds());
    }
    return SimResponse.json(
        200,
        answer
            .add(
                "team",
                JsonBodies.object().add("id", "T0SIMTEAM1").add("name", "Tributary Simulator"))
            .addNull("enterprise")
            .add("is_enterprise_install", false)
            .build());
  }

  // ---- Google: form with client_id / client_secret (or HTTP Basic) ----

  private SimResponse google(SimRequest request) {
    Map<String, List<String>> form = request.form();
    if (request.basicCredentials() == null
        && (blank(form, "client_id") || blank(form, "client_secret"))) {
      return googleError(401, "invalid_client", "The OAuth client was not found.");
    }
    String grant = SimRequest.first(form, "grant_type");
    Tokens tokens;
    boolean withRefresh;
    if ("refresh_token".equals(grant)) {
      Refreshed refreshed =
          sim.tokens()
              .refresh(
                  Provider.GOOGLE_CALENDAR,
                  SimRequest.first(form, "refresh_token"),
                  sim.generated());
      if (refreshed == null) {
        return googleError(400, "invalid_grant", "Token has been expired or revoked.");
      }
      tokens = refreshed.tokens();
      withRefresh = false; // Google keeps the refresh token and does not send it again
    } else if ("authorization_code".equals(grant)) {
      Code code = sim.tokens().takeCode(Provider.GOOGLE_CALENDAR, SimRequest.first(form, "code"));
      if (code == null) {
        return googleError(400, "invalid_grant", "Malformed auth code.");
      }
      if (redirectMismatch(code, SimRequest.first(form, "redirect_uri"))) {
        return googleError(400, "redirect_uri_mismatch", "Bad Request");
      }
      tokens = exchange(code);
      withRefresh = true;
    } else {
      return googleError(400, "unsupported_grant_type", "Invalid grant_type: " + grant);
    }
    JsonObjectBuilder answer =
        JsonBodies.object()
            .add("access_token", tokens.accessToken())
            .add(
                "expires_in", tokens.expiresInSeconds() == null ? 3599 : tokens.expiresInSeconds());
    if (withRefresh && tokens.refreshToken() != null) {
      answer.add("refresh_token", tokens.refreshToken());
    }
    return SimResponse.json(
        200, answer.add("scope", GOOGLE_SCOPE).add("token_type", "Bearer").build());
  }

  private static SimResponse googleError(int status, String error, String description) {
    return SimResponse.json(
        status,
        JsonBodies.object().add("error", error).add("error_description", description).build());
  }

  // ---- shared ----

  /**
   * Tokens for the account a code names, with the provider's usual lifetime and a refresh token
   * (GitHub App user tokens: 8 h; Notion: no expiry; Slack with rotation: 12 h; Google: 1 h).
   */
  private Tokens exchange(Code code) {
    Account account = sim.account(code.provider().id, code.accountId());
    return account.issueTokens(TokenRegistry.refreshedTtl(code.provider(), true), true);
  }

  /** A redirect_uri sent with the code must be the one it was issued for. */
  private static boolean redirectMismatch(Code code, String redirectUri) {
    return redirectUri != null && !redirectUri.equals(code.redirectUri());
  }

  private static boolean acceptsJson(SimRequest request) {
    String accept = request.header("accept");
    return accept != null && accept.contains("json");
  }

  private static boolean blank(Map<String, List<String>> params, String name) {
    String value = SimRequest.first(params, name);
    return value == null || value.isBlank();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
