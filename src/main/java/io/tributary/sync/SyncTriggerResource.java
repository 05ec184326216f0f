package io.tributary.sync;

import static io.tributary.platform.JsonSupport.JSON;

import io.tributary.platform.web.ApiError;
import io.tributary.platform.web.ApiException;
import io.tributary.platform.web.Paging;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The seed's trigger, {@code POST /api/cron/sync-integrations?interval=15min|30min} (GET too, as
 * Vercel Cron calls with GET), authorised by the cron secret or an admin (web.xml). It answers when
 * the run is done, as in the seed; {@code Prefer: respond-async} answers 202 at once with a URL to
 * poll. A repeated {@code Idempotency-Key} returns the run it started instead of a second run.
 */
@Tag(name = "sync", description = "The seed's cron trigger and the execution log")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "cronBearer")
@Path("cron")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SyncTriggerResource {

  @Inject SyncEngine engine;
  @Inject ExecutionLog log;
  @Inject Clock clock;
  @Context UriInfo uriInfo;

  @Inject
  @ConfigProperty(name = "sync.trigger.wait.seconds", defaultValue = "3600")
  long maxWaitSeconds;

  @Operation(summary = "Run a sync now (15min: GitHub; 30min: Notion, Slack, Google Calendar; absent: all)")
  @APIResponse(responseCode = "200", description = "The run finished: message, executionId, status, usersProcessed, providersSync, successCount, failureCount, durationMs")
  @APIResponse(responseCode = "202", description = "Prefer: respond-async: the run started; executionId and statusUrl to poll")
  @APIResponse(responseCode = "400", description = "interval is not 15min or 30min, or a malformed Idempotency-Key", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "409", description = "A run of the same job is still going (error run_in_progress)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "503", description = "CRON_SECRET is not set on the server (bearer calls)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @POST
  @Path("sync-integrations")
  public Response triggerPost(
      @QueryParam("interval") String interval,
      @HeaderParam("Prefer") String prefer,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    return trigger(interval, prefer, idempotencyKey);
  }

  @Operation(summary = "Run a sync now (GET, as Vercel Cron calls)")
  @APIResponse(responseCode = "200", description = "The run finished: message, executionId, status, usersProcessed, providersSync, successCount, failureCount, durationMs")
  @APIResponse(responseCode = "202", description = "Prefer: respond-async: the run started; executionId and statusUrl to poll")
  @APIResponse(responseCode = "400", description = "interval is not 15min or 30min, or a malformed Idempotency-Key", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "409", description = "A run of the same job is still going (error run_in_progress)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "503", description = "CRON_SECRET is not set on the server (bearer calls)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @GET
  @Path("sync-integrations")
  public Response triggerGet(
      @QueryParam("interval") String interval,
      @HeaderParam("Prefer") String prefer,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    return trigger(interval, prefer, idempotencyKey);
  }

  private Response trigger(String interval, String prefer, String idempotencyKey) {
    SyncJob job =
        SyncJob.fromInterval(interval)
            .orElseThrow(() -> ApiError.badRequest("'interval' must be 15min or 30min (or absent for all providers)."));
    String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
    if (key != null && (key.length() > 200 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw ApiError.badRequest("'Idempotency-Key' must be 1 to 200 visible ASCII characters.");
    }
    boolean async = prefer != null && prefer.toLowerCase().contains("respond-async");
    Optional<Long> earlier = key == null ? Optional.empty() : log.byIdempotencyKey(key);
    long id;
    if (earlier.isPresent()) {
      id = earlier.get();
    } else {
      try {
        id = engine.start(job, "manual", clock.instant(), key, 0);
      } catch (ExecutionLog.NotStarted e) {
        Optional<Long> same = key == null ? Optional.empty() : log.byIdempotencyKey(key);
        if (same.isPresent()) {
          id = same.get(); // the same key raced us: it is the same run
        } else {
          throw new ApiException(
              409,
              "run_in_progress",
              "A " + job.jobName() + " run is still going"
                  + (e.runningExecutionId == null ? "" : " (execution " + e.runningExecutionId + ")")
                  + "; wait for it to finish.");
        }
      }
    }
    URI poll = uriInfo.getBaseUriBuilder().path("cron").path("executions").path(Long.toString(id)).build();
    if (async) {
      return Response.accepted(
              JSON.createObjectBuilder()
                  .add("message", "Sync started")
                  .add("executionId", id)
                  .add("statusUrl", poll.toString())
                  .build())
          .location(poll)
          .build();
    }
    ExecutionView done = awaitFinished(id);
    return Response.ok(summary(done, clock.instant())).location(poll).build();
  }

  private ExecutionView awaitFinished(long id) {
    Instant giveUp = clock.instant().plusSeconds(maxWaitSeconds);
    long pause = 50;
    while (true) {
      ExecutionView e = log.find(id).orElseThrow(() -> ExecutionLog.notFound(id));
      if (!"running".equals(e.status()) || clock.instant().isAfter(giveUp)) {
        return e;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return e;
      }
      pause = Math.min(1000, pause * 2);
    }
  }

  /** The seed's response shape, plus the execution's id and status. */
  static String summary(ExecutionView e, Instant now) {
    JsonObjectBuilder b =
        JSON.createObjectBuilder()
            .add("message", "running".equals(e.status()) ? "Sync still running" : "Sync completed")
            .add("executionId", e.id())
            .add("status", e.status())
            .add("usersProcessed", e.usersProcessed())
            .add("providersSync", e.providersSync())
            .add("successCount", e.successCount())
            .add("failureCount", e.failureCount())
            .add("durationMs", e.durationMs() == null ? Duration.between(e.startedAt(), now).toMillis() : e.durationMs());
    return b.build().toString();
  }

  @Operation(summary = "One execution with its per-provider breakdown")
  @APIResponse(responseCode = "200", description = "The execution")
  @APIResponse(responseCode = "400", description = "id is not a positive whole number", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "401", description = "No or wrong credentials", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(responseCode = "404", description = "No such execution", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @GET
  @Path("executions/{id}")
  public ExecutionView execution(@PathParam("id") String id) {
    long eid = Paging.id(id, "id");
    return log.find(eid).orElseThrow(() -> ExecutionLog.notFound(eid));
  }
}
