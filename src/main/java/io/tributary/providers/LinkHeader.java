package io.tributary.providers;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 8288 {@code Link} header reading, for GitHub's pagination. */
public final class LinkHeader {
  private LinkHeader() {}

  private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
  private static final Pattern REL = Pattern.compile("rel\\s*=\\s*\"?([^\";]+)\"?");

  /** The URL of relation {@code rel} (e.g. {@code next}), if the header names one. */
  public static Optional<String> find(String header, String rel) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = LINK.matcher(header);
    while (m.find()) {
      Matcher r = REL.matcher(m.group(2));
      if (r.find()) {
        for (String name : r.group(1).trim().split("\\s+")) {
          if (name.equals(rel)) {
            return Optional.of(m.group(1));
          }
        }
      }
    }
    return Optional.empty();
  }
}
