package io.tributary.connections;

import io.tributary.platform.web.ApiError;
import io.tributary.platform.web.Json;
import io.tributary.platform.web.Paging;
import io.tributary.platform.web.Text;
import io.tributary.providers.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The platform developer's API for connections and their synced records (admin only; see web.xml).
 * Parses and validates, calls one service, maps the result. Application-scoped (no request state:
 * the request's URI comes as a parameter), so a request costs no new instance and injection.
 */
@Tag(name = "connections", description = "Users' provider connections, their health and synced records (admins)")
@SecurityRequirement(name = "basic")
@Path("connections")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionsResource {

  static final Set<String> KINDS =
      Set.of("repository", "issue", "pull_request", "page", "database", "channel", "message", "event");
  private static final Set<String> REGISTER_FIELDS =
      Set.of("userId", "provider", "accessToken", "refreshToken", "expiresAt", "scopes");
  static final Instant EARLIEST_EXPIRY = Instant.EPOCH;
  static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

  @Inject ConnectionStore connections;
  @Inject RecordStore records;
  @Inject ConnectionSync sync;
  @Inject io.tributary.platform.InstanceIdentity instance;

  @Operation(summary = "Register (or reconnect) a connection with its tokens")
  @APIResponse(responseCode = "201", description = "The connection, without tokens")
  @APIResponse(responseCode = "400", description = "Missing or malformed field, unknown provider or unknown field", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "415", description = "The body is not application/json", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response register(String body, @Context UriInfo uriInfo) {
    JsonObject o = Json.object(body, REGISTER_FIELDS);
    String userId = Json.string(o, "userId", true, 200);
    Provider provider = provider(Json.string(o, "provider", true, 50));
    String access = Json.string(o, "accessToken", true, 4000);
    String refresh = Json.string(o, "refreshToken", false, 4000);
    String expires = Json.string(o, "expiresAt", false, 40);
    Instant expiresAt = null;
    if (expires != null) {
      try {
        expiresAt = Instant.parse(expires);
      } catch (DateTimeParseException e) {
        throw ApiError.badRequest("Field 'expiresAt' must be an ISO-8601 instant such as 2030-01-15T10:30:00Z.");
      }
      // Instant reaches year 1,000,000,000; PostgreSQL's timestamp stops at 294276 (a 500 there).
      if (expiresAt.isBefore(EARLIEST_EXPIRY) || expiresAt.isAfter(LATEST_EXPIRY)) {
        throw ApiError.badRequest("Field 'expiresAt' must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z.");
      }
    }
    ConnectionView view =
        connections.register(userId, provider, access, refresh, expiresAt, scopes(o));
    return Response.created(uriInfo.getBaseUriBuilder().path("connections").path(Long.toString(view.id())).build())
        .entity(view)
        .build();
  }

  private static String scopes(JsonObject o) {
    if (!o.containsKey("scopes") || o.isNull("scopes")) {
      return null;
    }
    JsonValue v = o.get("scopes");
    String joined;
    if (v.getValueType() == JsonValue.ValueType.STRING) {
      joined = o.getString("scopes").strip();
    } else if (v.getValueType() == JsonValue.ValueType.ARRAY) {
      JsonArray a = v.asJsonArray();
      if (!a.stream().allMatch(e -> e.getValueType() == JsonValue.ValueType.STRING)) {
        throw ApiError.badRequest("Field 'scopes' must be a string or an array of strings.");
      }
      joined = a.getValuesAs(jakarta.json.JsonString.class).stream().map(s -> s.getString().strip()).collect(Collectors.joining(" "));
    } else {
      throw ApiError.badRequest("Field 'scopes' must be a string or an array of strings.");
    }
    if (joined.length() > 1000) {
      throw ApiError.badRequest("Field 'scopes' is longer than 1000 characters.");
    }
    if (!Text.isClean(joined)) {
      throw ApiError.badRequest("Field 'scopes' contains control characters or broken Unicode.");
    }
    return joined.isEmpty() ? null : joined;
  }

  @Operation(summary = "List connections with their health")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(responseCode = "400", description = "Malformed provider, status, limit or cursor", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @GET
  public Paging.Page<ConnectionView> list(
      @QueryParam("userId") String userId,
      @QueryParam("provider") String provider,
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    int n = Paging.limit(limit, 100, 500);
    Provider p = provider == null || provider.isBlank() ? null : provider(provider);
    ConnectionStatus s = null;
    if (status != null && !status.isBlank()) {
      s =
          ConnectionStatus.fromId(status.strip())
              .orElseThrow(() -> ApiError.badRequest("'status' must be one of active, needs_reauth, disabled."));
    }
    String user = userId == null || userId.isBlank() ? null : userId.strip();
    List<ConnectionView> page = connections.list(user, p, s, Paging.afterId(cursor), n + 1);
    return page(page, n, ConnectionView::id);
  }

  @Operation(summary = "One connection")
  @APIResponse(responseCode = "200", description = "The connection")
  @APIResponse(responseCode = "400", description = "id is not a positive whole number", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "404", description = "No such connection", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @GET
  @Path("{id}")
  public ConnectionView get(@PathParam("id") String id) {
    long cid = Paging.id(id, "id");
    return connections.find(cid).orElseThrow(() -> ApiError.notFound("No connection " + cid + "."));
  }

  @Operation(summary = "A connection's synced records")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(responseCode = "400", description = "Malformed id, kind, limit or cursor", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "404", description = "No such connection", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @GET
  @Path("{id}/records")
  public Paging.Page<RecordView> records(
      @PathParam("id") String id,
      @QueryParam("kind") String kind,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    long cid = Paging.id(id, "id");
    int n = Paging.limit(limit, 100, 1000);
    Optional<String> k = Optional.ofNullable(kind).map(String::strip).filter(s -> !s.isEmpty());
    if (k.isPresent() && !KINDS.contains(k.get())) {
      throw ApiError.badRequest("'kind' must be one of " + String.join(", ", new java.util.TreeSet<>(KINDS)) + ".");
    }
    if (connections.find(cid).isEmpty()) {
      throw ApiError.notFound("No connection " + cid + ".");
    }
    Paging.Page<Map.Entry<Long, RecordView>> page =
        page(records.page(cid, k, Paging.afterId(cursor), n + 1), n, Map.Entry::getKey);
    return new Paging.Page<>(page.items().stream().map(Map.Entry::getValue).toList(), page.nextCursor());
  }

  @Operation(summary = "Sync one connection now")
  @APIResponse(responseCode = "200", description = "The outcome: records added/updated/removed, calls, duration, error")
  @APIResponse(responseCode = "400", description = "id is not a positive whole number", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "404", description = "No such connection", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "409", description = "Being synced right now, or not active", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @POST
  @Path("{id}/sync")
  public SyncOutcome syncNow(@PathParam("id") String id) {
    long cid = Paging.id(id, "id");
    SyncOutcome outcome = sync.sync(cid, instance.id()).orElseThrow(() -> ApiError.notFound("No connection " + cid + "."));
    if ("busy".equals(outcome.status())) {
      throw ApiError.conflict("Connection " + cid + " is being synced right now; try again when that sync ends.");
    }
    if ("skipped".equals(outcome.status())) {
      throw ApiError.conflict("Connection " + cid + " is not active (" + outcome.error() + "); reconnect or enable it first.");
    }
    return outcome;
  }

  @Operation(summary = "Stop syncing a connection")
  @APIResponse(responseCode = "200", description = "The connection")
  @APIResponse(responseCode = "400", description = "id is not a positive whole number", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "404", description = "No such connection", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @POST
  @Path("{id}/disable")
  public ConnectionView disable(@PathParam("id") String id) {
    return setStatus(Paging.id(id, "id"), ConnectionStatus.DISABLED, "disabled by an admin");
  }

  @Operation(summary = "Resume syncing a disabled connection")
  @APIResponse(responseCode = "200", description = "The connection")
  @APIResponse(responseCode = "400", description = "id is not a positive whole number", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "404", description = "No such connection", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "409", description = "The connection is not disabled", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @POST
  @Path("{id}/enable")
  public ConnectionView enable(@PathParam("id") String id) {
    long cid = Paging.id(id, "id");
    ConnectionView c = connections.find(cid).orElseThrow(() -> ApiError.notFound("No connection " + cid + "."));
    if (!c.status().equals(ConnectionStatus.DISABLED.id())) {
      throw ApiError.conflict("Only a disabled connection can be enabled; this one is " + c.status() + ".");
    }
    return setStatus(cid, ConnectionStatus.ACTIVE, null);
  }

  private ConnectionView setStatus(long cid, ConnectionStatus status, String reason) {
    if (!connections.setStatus(cid, status, reason)) {
      throw ApiError.notFound("No connection " + cid + ".");
    }
    return connections.find(cid).orElseThrow();
  }

  @Operation(summary = "Disconnect: tokens, records and cursors are purged")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "400", description = "id is not a positive whole number", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "404", description = "No such connection", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") String id) {
    long cid = Paging.id(id, "id");
    if (!connections.delete(cid)) {
      throw ApiError.notFound("No connection " + cid + ".");
    }
    return Response.noContent().build();
  }

  static Provider provider(String id) {
    return Provider.fromId(id)
        .orElseThrow(() -> ApiError.badRequest("Unknown provider '" + abbreviate(id) + "'; use one of " + Provider.allowedIds() + "."));
  }

  static String abbreviate(String s) {
    return Text.printable(s);
  }

  static <T> Paging.Page<T> page(List<T> rows, int limit, java.util.function.ToLongFunction<T> id) {
    boolean more = rows.size() > limit;
    List<T> shown = more ? rows.subList(0, limit) : rows;
    return new Paging.Page<>(shown, more ? Paging.cursorAfter(id.applyAsLong(shown.get(shown.size() - 1))) : null);
  }
}
