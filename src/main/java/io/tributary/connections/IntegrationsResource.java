package io.tributary.connections;

import io.tributary.platform.web.ApiError;
import io.tributary.providers.Provider;
import io.tributary.providers.ProviderClients;
import io.tributary.providers.ProviderException;
import io.tributary.providers.TokenGrant;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OAuth connect flow. {@code connect} (admin) answers a redirect to the provider's consent page
 * with a signed, expiring, single-use {@code state}; {@code callback} (public: the provider sends the
 * user's browser here) checks the state, exchanges the code and stores the connection.
 */
@Tag(name = "integrations", description = "The OAuth connect flow")
@Path("integrations/{provider}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class IntegrationsResource {

  @Inject OAuthStates states;
  @Inject ProviderClients clients;
  @Inject ConnectionStore connections;
  @Context UriInfo uriInfo;

  @Inject
  @ConfigProperty(name = "tributary.public.url")
  Optional<String> publicUrl;

  @Operation(summary = "Start connecting a user's account: redirect to the provider's consent page")
  @APIResponse(responseCode = "303", description = "To the provider, with a signed single-use state")
  @APIResponse(responseCode = "400", description = "Unknown provider or missing userId", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "503", description = "The provider's OAuth client is not configured", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @SecurityRequirement(name = "basic")
  @GET
  @Path("connect")
  public Response connect(@PathParam("provider") String providerId, @QueryParam("userId") String userId) {
    Provider provider = ConnectionsResource.provider(providerId);
    if (userId == null || userId.isBlank() || userId.length() > 200) {
      throw ApiError.badRequest("Query parameter 'userId' is required (1 to 200 characters).");
    }
    if (clients.settings(provider).clientIdIfSet().isEmpty()) {
      throw new io.tributary.platform.web.ApiException(
          503,
          "oauth_not_configured",
          "The " + provider.id() + " OAuth client is not configured: set " + provider.configPrefix().toUpperCase()
              + "_CLIENT_ID and " + provider.configPrefix().toUpperCase() + "_CLIENT_SECRET.");
    }
    String state = states.issue(provider, userId.strip());
    return Response.seeOther(clients.of(provider).authorizeUri(state, callbackUri(provider))).build();
  }

  @Operation(summary = "The provider's redirect back (public, protected by the signed state)")
  @APIResponse(responseCode = "200", description = "{connected: true, connection}")
  @APIResponse(responseCode = "400", description = "Refused consent, missing code, or a bad, expired or reused state", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "502", description = "The provider refused the authorization code", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @GET
  @Path("callback")
  public Response callback(
      @PathParam("provider") String providerId,
      @QueryParam("code") String code,
      @QueryParam("state") String state,
      @QueryParam("error") String error) {
    Provider provider = ConnectionsResource.provider(providerId);
    if (error != null) {
      throw ApiError.badRequest("The provider did not authorize the connection (" + ConnectionsResource.abbreviate(error) + ").");
    }
    if (code == null || code.isBlank() || code.length() > 2000) {
      throw ApiError.badRequest("Query parameter 'code' is required.");
    }
    OAuthStates.State s = states.consume(state, provider);
    TokenGrant grant;
    try {
      grant = clients.of(provider).exchangeCode(code, callbackUri(provider));
    } catch (ProviderException e) {
      throw new io.tributary.platform.web.ApiException(502, "provider_error", "The provider refused the authorization code: " + e.getMessage());
    }
    ConnectionView view =
        connections.register(s.userId(), provider, grant.accessToken(), grant.refreshToken(), grant.expiresAt(), grant.scopes());
    return Response.ok(Map.of("connected", true, "connection", view)).build();
  }

  private URI callbackUri(Provider provider) {
    String base =
        publicUrl.filter(u -> !u.isBlank()).map(u -> u.endsWith("/") ? u : u + "/").orElse(uriInfo.getBaseUri().resolve("/").toString());
    return URI.create(base + "api/integrations/" + provider.id() + "/callback");
  }
}
