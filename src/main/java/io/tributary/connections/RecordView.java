package io.tributary.connections;

import java.time.Instant;

/** A synced record as the records API shows it. */
public record RecordView(
    String kind, String externalId, String title, String url, Instant updatedAt) {}
