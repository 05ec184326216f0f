package io.tributary.simulator;

import java.util.List;

/** The four simulated providers, their ids (as in Tributary's connections) and item kinds. */
enum Provider {
  GITHUB("github", List.of("repository", "issue", "pull_request")),
  NOTION("notion", List.of("page", "database")),
  SLACK("slack", List.of("channel", "message")),
  GOOGLE_CALENDAR("google_calendar", List.of("event"));

  final String id;
  final List<String> kinds;

  Provider(String id, List<String> kinds) {
    this.id = id;
    this.kinds = kinds;
  }

  static Provider of(String id) {
    for (Provider provider : values()) {
      if (provider.id.equals(id)) {
        return provider;
      }
    }
    throw new IllegalArgumentException(
        "unknown provider '" + id + "': use github, notion, slack or google_calendar");
  }

  void requireKind(String kind) {
    if (!kinds.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown kind '" + kind + "' for " + id + ": use one of " + kinds);
    }
  }
}
