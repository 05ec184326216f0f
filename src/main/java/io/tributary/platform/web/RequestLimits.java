package io.tributary.platform.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every API request must be before a resource sees it, each refusal the API's JSON error:
 *
 * <ul>
 *   <li>a body of at most {@link #MAX_BODY_BYTES}: refused from its {@code Content-Length} before
 *       anything is read (413), and a chunked body as soon as it grows past the limit, so nobody can
 *       make the service buffer a gigabyte to find out it is too large;
 *   <li>a body with a Content-Type, in UTF-8, the only encoding JSON has between systems (RFC 8259
 *       §8.1): another {@code charset} is a 415, not a 500 from a decoder that does not exist;
 *   <li>an {@code Accept} header whose charsets exist (406 instead of a 500 while writing);
 *   <li>query parameters without control characters or broken Unicode ({@link Text}): 400 instead
 *       of a 500 from PostgreSQL; and each at most once: JAX-RS would silently take the first of
 *       {@code ?interval=15min&interval=30min}, and a proxy in front might take the last.
 * </ul>
 */
@Provider
@PreMatching
public class RequestLimits implements ContainerRequestFilter {

  public static final int MAX_BODY_BYTES = Json.MAX_BODY_CHARS;

  static final String TOO_LARGE = "The request body is larger than 64 KiB.";

  /**
   * A refused body up to this size is read and discarded before the answer, as Tomcat's
   * maxSwallowSize does: a client still sending it (java.net.http upgrading to h2c does) would
   * otherwise lose the 413 to a closed connection. Past it the connection is simply closed.
   */
  static final long MAX_SWALLOW_BYTES = 4L * 1024 * 1024;

  @Override
  public void filter(ContainerRequestContext request) {
    Optional<ApiException> refusal =
        refusal(
            request.getLength(),
            request.getHeaderString("Content-Type"),
            request.getHeaders().get("Accept"),
            request.getUriInfo().getQueryParameters());
    if (refusal.isPresent()) {
      ApiException e = refusal.get();
      if (request.getLength() > 0 && request.getLength() <= MAX_SWALLOW_BYTES) {
        swallow(request.getEntityStream());
      }
      request.abortWith(ApiError.response(e.status(), e.code(), e.getMessage()));
      return;
    }
    if (request.hasEntity()) {
      if (request.getHeaderString("Content-Type") == null) {
        // JAX-RS would take a body without a type for whatever the method consumes.
        request.abortWith(ApiError.response(415, "unsupported_media_type", "Send the body as application/json in UTF-8."));
        return;
      }
      request.setEntityStream(new Bounded(request.getEntityStream(), MAX_BODY_BYTES));
    }
  }

  private static void swallow(InputStream in) {
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    try {
      for (int n; total <= MAX_SWALLOW_BYTES && (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  /** Why a request with these properties is refused, if it is. */
  static Optional<ApiException> refusal(
      long contentLength, String contentType, List<String> accept, Map<String, List<String>> query) {
    if (contentLength > MAX_BODY_BYTES) {
      return Optional.of(new ApiException(413, "payload_too_large", TOO_LARGE));
    }
    if (contentType != null && !isUtf8(contentType)) {
      return Optional.of(
          new ApiException(415, "unsupported_media_type", "Send the body as application/json in UTF-8."));
    }
    if (accept != null && accept.stream().anyMatch(a -> !charsetsExist(a))) {
      return Optional.of(
          new ApiException(406, "not_acceptable", "This API answers application/json in UTF-8; ask for that."));
    }
    for (Map.Entry<String, List<String>> p : query.entrySet()) {
      if (p.getValue().size() > 1) {
        return Optional.of(ApiError.badRequest("Query parameter '" + Text.printable(p.getKey()) + "' is given more than once."));
      }
      if (!Text.isClean(p.getKey()) || p.getValue().stream().anyMatch(v -> !Text.isClean(v))) {
        return Optional.of(
            ApiError.badRequest(
                "Query parameter '" + Text.printable(p.getKey()) + "' contains control characters or broken Unicode."));
      }
    }
    return Optional.empty();
  }

  /** True when the Content-Type names no charset or UTF-8; a malformed header is left to JAX-RS (400). */
  static boolean isUtf8(String contentType) {
    String charset;
    try {
      charset = MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
    } catch (IllegalArgumentException e) {
      return true;
    }
    if (charset == null) {
      return true;
    }
    try {
      return Charset.forName(charset.strip()).equals(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false; // an unknown or illegal charset name
    }
  }

  /** True when every charset the Accept header names exists; a malformed header is left to JAX-RS. */
  static boolean charsetsExist(String accept) {
    for (String range : accept.split(",")) {
      String charset;
      try {
        charset = MediaType.valueOf(range.strip()).getParameters().get(MediaType.CHARSET_PARAMETER);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (charset != null) {
        try {
          if (!Charset.isSupported(charset.strip())) {
            return false;
          }
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
    }
    return true;
  }

  /** A body stream that refuses to deliver more than {@code max} bytes (chunked bodies have no length). */
  static final class Bounded extends FilterInputStream {
    private final long max;
    private long read;

    Bounded(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) {
      read += n;
      if (read > max) {
        throw new ApiException(413, "payload_too_large", TOO_LARGE);
      }
    }
  }
}
