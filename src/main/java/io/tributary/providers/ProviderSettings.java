package io.tributary.providers;

import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * A provider's endpoints and OAuth client, from config: {@code <prefix>.api.url}, {@code
 * <prefix>.token.url}, {@code <prefix>.authorize.url}, {@code <prefix>.client.id}, {@code
 * <prefix>.client.secret} (so {@code GITHUB_API_URL}, {@code GOOGLE_CLIENT_ID}, …). Defaults are the
 * real APIs; tests and the demo point them at the simulator.
 */
public record ProviderSettings(
    URI apiUrl, URI tokenUrl, URI authorizeUrl, String clientId, String clientSecret, String scopes) {

  public static ProviderSettings from(Config config, Provider provider) {
    String p = provider.configPrefix();
    String api = switch (provider) {
      case GITHUB -> "https://api.github.com";
      case NOTION -> "https://api.notion.com";
      case SLACK -> "https://slack.com/api";
      case GOOGLE_CALENDAR -> "https://www.googleapis.com/calendar/v3";
    };
    String token = switch (provider) {
      case GITHUB -> "https://github.com/login/oauth/access_token";
      case NOTION -> "https://api.notion.com/v1/oauth/token";
      case SLACK -> "https://slack.com/api/oauth.v2.access";
      case GOOGLE_CALENDAR -> "https://oauth2.googleapis.com/token";
    };
    String authorize = switch (provider) {
      case GITHUB -> "https://github.com/login/oauth/authorize";
      case NOTION -> "https://api.notion.com/v1/oauth/authorize";
      case SLACK -> "https://slack.com/oauth/v2/authorize";
      case GOOGLE_CALENDAR -> "https://accounts.google.com/o/oauth2/v2/auth";
    };
    String scopes = switch (provider) {
      case GITHUB -> "repo read:user";
      case NOTION -> "";
      case SLACK -> "channels:read,channels:history,groups:read,groups:history";
      case GOOGLE_CALENDAR -> "https://www.googleapis.com/auth/calendar.readonly";
    };
    String apiKey = provider == Provider.GOOGLE_CALENDAR ? "google.calendar.api.url" : p + ".api.url";
    return new ProviderSettings(
        uri(config.getOptionalValue(apiKey, String.class).orElse(api)),
        uri(config.getOptionalValue(p + ".token.url", String.class).orElse(token)),
        uri(config.getOptionalValue(p + ".authorize.url", String.class).orElse(authorize)),
        config.getOptionalValue(p + ".client.id", String.class).orElse(""),
        config.getOptionalValue(p + ".client.secret", String.class).orElse(""),
        config.getOptionalValue(p + ".scopes", String.class).orElse(scopes));
  }

  private static URI uri(String s) {
    String trimmed = s.strip();
    return URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
  }

  /** {@code apiUrl} + path (+ query), keeping any path prefix of the configured base URL. */
  public URI api(String pathAndQuery) {
    return URI.create(apiUrl + pathAndQuery);
  }

  public Optional<String> clientIdIfSet() {
    return clientId.isBlank() ? Optional.empty() : Optional.of(clientId);
  }

  @Override
  public String toString() {
    return "ProviderSettings[api=" + apiUrl + ", token=" + tokenUrl + ", clientId=" + clientId + "]";
  }
}
