package io.tributary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Activates JAX-RS: every resource of the service lives under {@code /api}. Also the OpenAPI
 * document's header (served by Payara at {@code /openapi}): the two ways to authenticate and the one
 * error shape every endpoint answers with.
 */
@ApplicationPath("api")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Tributary",
            version = "0.1.0",
            description =
                "Scheduled, monitored sync of GitHub, Notion, Slack and Google Calendar data. /api/cron/* accepts an"
                    + " admin (HTTP Basic) or the scheduler (Bearer CRON_SECRET); the rest of /api is for admins."
                    + " Every error is {\"error\": code, \"message\": what to do}."),
    components =
        @Components(
            securitySchemes = {
              @SecurityScheme(
                  securitySchemeName = "basic",
                  type = SecuritySchemeType.HTTP,
                  scheme = "basic",
                  description = "An admin account (ADMIN_USERNAME / ADMIN_PASSWORD)"),
              @SecurityScheme(
                  securitySchemeName = "cronBearer",
                  type = SecuritySchemeType.HTTP,
                  scheme = "bearer",
                  description = "The scheduler's shared secret: Authorization: Bearer <CRON_SECRET>; /api/cron/* only")
            },
            schemas =
                @Schema(
                    name = "ApiError",
                    type = SchemaType.OBJECT,
                    description = "The one error shape of the API",
                    requiredProperties = {"error", "message"},
                    properties = {
                      @SchemaProperty(name = "error", type = SchemaType.STRING, example = "bad_request", description = "A stable code"),
                      @SchemaProperty(name = "message", type = SchemaType.STRING, description = "What went wrong and what to do")
                    })))
public class TributaryApplication extends Application {

  /** No WADL: an OPTIONS request answers with the allowed methods, not an XML map of the API. */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
