package io.tributary.platform.web;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one error shape of the API: {@code {"error":"<code>","message":"<what to do>"}}. Every 4xx
 * and 5xx the service produces goes through here, so clients never see HTML or a stack trace.
 */
public final class ApiError {
  private ApiError() {}

  public static Response response(int status, String code, String message) {
    String body =
        JSON.createObjectBuilder().add("error", code).add("message", message).build().toString();
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }

  /** Thrown by resources and services for a client mistake; mapped to its status and JSON. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }
}
