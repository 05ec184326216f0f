package io.tributary.monitoring;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The seed's monitoring endpoints, {@code GET /api/cron/monitoring?timeRange=<hours>} and {@code POST
 * /api/cron/monitoring/cleanup}, for an admin (HTTP Basic) or the scheduler ({@code Bearer
 * CRON_SECRET}); web.xml protects {@code /api/cron/*}, so unlike the seed's cleanup nothing here is
 * public. Parses, calls one service, maps the result.
 *
 * <p>Application-scoped: it keeps no request state, and a request-scoped resource costs Jersey and
 * CDI a new instance, its injection and a reflective look at its fields on every request (a tenth of
 * a monitoring request's CPU in JFR).
 */
@Path("cron/monitoring")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "monitoring", description = "Execution statistics, alerts, per-provider health and log cleanup")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "cronBearer")
public class MonitoringResource {

  @Inject MonitoringSnapshots snapshots;
  @Inject LogCleanup cleanup;

  @GET
  @Operation(
      summary = "Monitoring data for the sync jobs",
      description =
          "Per-job statistics over the window, open alerts, each job's recent executions (newest first, at most 20),"
              + " per-provider figures and the window itself, at most monitoring.cache.millis (1 s) old. successCount counts status success; failureCount"
              + " failure and interrupted; partial runs are counted in partialCount (neither).")
  @APIResponse(
      responseCode = "200",
      description = "The seed's shape: stats, alerts, recentExecutions, timeRange (plus providers)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
  @APIResponse(
      responseCode = "400",
      description = "timeRange is not a whole number of hours of at least 1",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(
      responseCode = "401",
      description = "No or wrong credentials",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  public String monitoring(
      @Parameter(
              description = "Window in hours: default 24; values above 168 are capped to 168 (and reported as 168)",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "24"))
          @QueryParam("timeRange")
          String timeRange) {
    return snapshots.json(MonitoringRequests.hours(timeRange));
  }

  @POST
  @Path("cleanup")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Delete old execution logs",
      description =
          "Deletes executions that started more than retentionDays days ago (never a running one), in batches of"
              + " 1000 rows, each its own transaction. A daily cleanup with LOG_RETENTION_DAYS runs on its own.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = SchemaType.OBJECT, example = "{\"retentionDays\":30}")))
  @APIResponse(
      responseCode = "200",
      description = "{\"deleted\": <executions deleted>, \"retentionDays\": <n>}",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
  @APIResponse(
      responseCode = "400",
      description = "Not a JSON object with only retentionDays, a whole number from 1 to 3650",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(
      responseCode = "401",
      description = "No or wrong credentials",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  @APIResponse(
      responseCode = "415",
      description = "The body is not application/json",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiError")))
  public String cleanup(String body) {
    int days = MonitoringRequests.retentionDays(body);
    long deleted = cleanup.deleteOlderThan(days);
    return JSON.createObjectBuilder().add("deleted", deleted).add("retentionDays", days).build().toString();
  }
}
