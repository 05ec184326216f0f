package io.tributary.monitoring;

import io.tributary.sync.ExecutionLog;
import io.tributary.sync.RunFinished;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens after a run finishes, off the sync's thread and after its transaction committed: its
 * per-provider figures are recorded, its metrics counted, the alerts evaluated (key {@code
 * run-<id>}) and any notification that produced sent. A failure here is logged and never reaches the
 * sync.
 */
@ManagedExecutorDefinition(name = "java:app/concurrent/monitoring", maxAsync = 2)
@ApplicationScoped
public class RunObserver {

  private static final Logger LOG = Logger.getLogger(RunObserver.class.getName());

  @Resource(lookup = "java:app/concurrent/monitoring")
  ManagedExecutorService executor;

  @Inject ProviderRunFigures figures;
  @Inject ExecutionLog executions;
  @Inject AlertEvaluator evaluator;
  @Inject NotificationDelivery delivery;
  @Inject MonitoringMetrics metrics;

  void onRunFinished(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunFinished run) {
    try {
      executor.execute(() -> afterRun(run));
    } catch (RejectedExecutionException e) {
      // The periodic tick records and evaluates what this skipped.
      LOG.warning("Monitoring is busy; execution " + run.executionId() + " will be evaluated by the next tick");
    }
  }

  void afterRun(RunFinished run) {
    step("recording provider figures", () -> figures.record(run.executionId()));
    step(
        "counting metrics",
        () ->
            executions
                .find(run.executionId())
                .ifPresent(e -> metrics.runFinished(e.jobName(), e.status(), e.durationMs(), e.providerBreakdown())));
    step(
        "evaluating alerts",
        () -> {
          AlertEvaluator.Transitions t = evaluator.evaluate("run-" + run.executionId());
          t.opened().forEach(a -> metrics.alertTransition(a.type(), Notifications.OPENED));
          t.resolved().forEach(a -> metrics.alertTransition(a.type(), Notifications.RESOLVED));
        });
    step("sending notifications", () -> metrics.notifications(delivery.deliverDue()));
  }

  private static void step(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "After-run monitoring failed while " + what, e);
    }
  }
}
