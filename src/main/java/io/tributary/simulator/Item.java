package io.tributary.simulator;

import java.time.Instant;

/**
 * One synced object as the simulator holds it: a repository, issue, pull request, page, database,
 * channel, message or calendar event. Tests compare these with what Tributary stored.
 *
 * @param kind the provider's kind ("repository", "issue", "pull_request", "page", "database",
 *     "channel", "message", "event")
 * @param id the provider's id (a Slack message's id is its {@code ts})
 * @param title the title, name, message text or event summary
 * @param url the provider's web link for the object
 * @param updatedAt when it last changed, from the simulator's {@link SimClock}
 * @param containerId the Slack channel of a message, else null
 * @param cancelled true for a deleted Google Calendar event (Google keeps returning it as
 *     "cancelled" to incremental syncs)
 */
public record Item(
    String kind,
    String id,
    String title,
    String url,
    Instant updatedAt,
    String containerId,
    boolean cancelled) {}
