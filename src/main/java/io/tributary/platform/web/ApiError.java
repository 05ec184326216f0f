package io.tributary.platform.web;

import static io.tributary.platform.JsonSupport.JSON;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * The one error shape of the API: {@code {"error":"<code>","message":"<what to do>"}}. Every 4xx
 * and 5xx the service produces goes through here, so clients never see HTML or a stack trace.
 */
public final class ApiError {
  private ApiError() {}

  public static Response response(int status, String code, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, message)).build();
  }

  /** The error body: {@code {"error":"<code>","message":"<what to do>"}}. */
  public static String body(String code, String message) {
    return JSON.createObjectBuilder().add("error", code).add("message", message).build().toString();
  }

  /**
   * The same answer written straight to a servlet response, for code outside JAX-RS (the security
   * mechanism, error pages); never cached.
   */
  public static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON);
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(body(code, message));
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
