package io.tributary.sync;

/**
 * A CDI event fired by {@link ExecutionLog#finish} when a run's row changes from {@code running} to
 * its final status (once per run). Observers that read the database should observe it {@code
 * during = TransactionPhase.AFTER_SUCCESS}, so they see the committed row and never run inside the
 * sync's own transaction.
 */
public record RunFinished(long executionId, String jobName, String status) {}
