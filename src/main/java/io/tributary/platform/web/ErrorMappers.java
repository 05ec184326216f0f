package io.tributary.platform.web;

import io.tributary.platform.database.DatabaseTrouble;
import jakarta.ejb.EJBException;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Maps every exception that leaves a resource to the API's JSON error shape. */
public final class ErrorMappers {
  private ErrorMappers() {}

  private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

  static Response map(Throwable t) {
    Throwable cause = t;
    // EJB wraps application runtime exceptions; unwrap to the meaningful one.
    while (cause instanceof EJBException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException e) {
      return ApiError.response(e.status(), e.code(), e.getMessage());
    }
    if (cause instanceof WebApplicationException e) {
      int status = e.getResponse().getStatus();
      String code =
          switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "server_error" : "client_error";
          };
      String message =
          switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed here.";
            case 415 -> "Send the body as application/json.";
            default -> status >= 500 ? "The server failed; see its log." : safeMessage(e);
          };
      return ApiError.response(status, code, message);
    }
    if (cause instanceof JsonbException
        || cause instanceof JsonException
        || cause instanceof ProcessingException) {
      return ApiError.response(400, "invalid_json", "The request body is not valid JSON of the expected shape.");
    }
    if (cause instanceof java.nio.charset.UnsupportedCharsetException
        || cause instanceof java.nio.charset.IllegalCharsetNameException) {
      // RequestLimits refuses these up front; this is the net under it.
      return ApiError.response(415, "unsupported_media_type", "Send the body as application/json in UTF-8.");
    }
    if (cause instanceof ConstraintViolationException e) {
      String message =
          e.getConstraintViolations().stream()
              .map(v -> v.getPropertyPath() + " " + v.getMessage())
              .sorted()
              .collect(Collectors.joining("; "));
      return ApiError.response(400, "validation_failed", message);
    }
    if (DatabaseTrouble.is(cause)) {
      // Not the client's fault and not a bug: the pool is exhausted or PostgreSQL refuses. Say so,
      // and when to come back, instead of a 500 with an incident.
      LOG.warning("Answered 503: the database is unavailable (" + cause.getMessage() + ")");
      return Response.fromResponse(
              ApiError.response(503, "database_unavailable", "The database is not available right now; try again in a few seconds."))
          .header("Retry-After", "5")
          .build();
    }
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unhandled error, incident " + incident, cause);
    return ApiError.response(
        500, "server_error", "The server failed (incident " + incident + "); see its log.");
  }

  private static String safeMessage(WebApplicationException e) {
    String m = e.getMessage();
    if (m == null || m.startsWith("HTTP ")) {
      return "The request was not accepted.";
    }
    return m.length() > 300 ? m.substring(0, 300) : m;
  }

  @Provider
  public static class Any implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable exception) {
      return map(exception);
    }
  }

  @Provider
  public static class Api implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException exception) {
      return map(exception);
    }
  }

  @Provider
  public static class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException exception) {
      return map(exception);
    }
  }
}
