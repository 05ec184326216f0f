package io.tributary.sync;

import io.tributary.providers.Provider;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who may start a connection sync: at most {@code concurrency} syncs at once in all, and per
 * provider at most its cap <em>while another provider is waiting for a worker</em>.
 *
 * <p>The cap exists so a slow or rate-limited provider cannot take every worker from the others. A
 * hard cap would also idle workers whenever one provider has the machine to itself (the 15-minute
 * run is GitHub alone: a quarter of the workers idle). So the cap is work-conserving: above it, a
 * provider borrows free workers only while no provider below its cap is waiting for one, and a
 * freed worker goes to such a waiting provider first. Borrowed workers are not taken back mid-sync
 * (a sync is not preempted): a provider that arrives later waits at most for the borrower's syncs in
 * flight to finish, and from then on the caps hold.
 *
 * <p>A lock and one condition rather than semaphores: the decision needs the other providers'
 * state, and the waiters are the dispatchers (a few threads), never the workers.
 */
final class WorkerPermits {

  private final int cap;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private int free;
  private final Map<Provider, Integer> inUse = new EnumMap<>(Provider.class);
  /** Dispatchers waiting for a worker while their provider is below its cap (they have priority). */
  private final Map<Provider, Integer> waitingBelowCap = new EnumMap<>(Provider.class);

  WorkerPermits(int concurrency, int perProviderCap) {
    this.free = concurrency;
    this.cap = Math.min(concurrency, perProviderCap);
    for (Provider p : Provider.values()) {
      inUse.put(p, 0);
      waitingBelowCap.put(p, 0);
    }
  }

  /** One worker held for one sync; release it exactly once. */
  final class Permit {
    private final Provider provider;

    private Permit(Provider provider) {
      this.provider = provider;
    }

    void release() {
      lock.lock();
      try {
        free++;
        inUse.merge(provider, -1, Integer::sum);
        freed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits for a worker for one sync of {@code provider}. */
  Permit acquire(Provider provider) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        boolean belowCap = inUse.get(provider) < cap;
        if (free > 0 && (belowCap || !othersWaiting(provider))) {
          free--;
          inUse.merge(provider, 1, Integer::sum);
          return new Permit(provider);
        }
        if (belowCap) {
          waitingBelowCap.merge(provider, 1, Integer::sum);
          try {
            freed.await();
          } finally {
            waitingBelowCap.merge(provider, -1, Integer::sum);
          }
        } else {
          freed.await();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean othersWaiting(Provider provider) {
    for (Map.Entry<Provider, Integer> e : waitingBelowCap.entrySet()) {
      if (e.getKey() != provider && e.getValue() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Syncs of {@code provider} holding a worker now. */
  int inUse(Provider provider) {
    lock.lock();
    try {
      return inUse.get(provider);
    } finally {
      lock.unlock();
    }
  }

  /** Dispatchers parked waiting for a worker. */
  int waiters() {
    lock.lock();
    try {
      return lock.getWaitQueueLength(freed);
    } finally {
      lock.unlock();
    }
  }

  /** Workers free now. */
  int free() {
    lock.lock();
    try {
      return free;
    } finally {
      lock.unlock();
    }
  }
}
