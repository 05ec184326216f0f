package io.tributary.sync;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.tributary.providers.Provider;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * The sync engine's configuration, read once at startup (every key has an environment variable:
 * {@code sync.schedule.15min} ← {@code SYNC_SCHEDULE_15MIN}, {@code sync.github.enabled} ← {@code
 * SYNC_GITHUB_ENABLED}, …). Schedules are five-field cron expressions in UTC, as in vercel.json.
 */
@ApplicationScoped
public class SyncSettings {

  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  // Six fields (seconds first) for sub-minute schedules: tests and cluster drills.
  private static final CronParser WITH_SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

  @Inject Config config;

  private final Map<SyncJob, ExecutionTime> schedules = new EnumMap<>(SyncJob.class);
  private final Map<SyncJob, String> scheduleText = new EnumMap<>(SyncJob.class);
  private final Set<SyncJob> withSeconds = EnumSet.noneOf(SyncJob.class);
  private final Map<Provider, String> intervals = new EnumMap<>(Provider.class);
  private final Set<Provider> enabled = EnumSet.noneOf(Provider.class);
  private int concurrency;
  private int perProviderConcurrency;
  private int chunkSize;
  private Duration leaseTimeout;

  /** Checked at startup: a malformed schedule or interval stops the start with one clear line. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    concurrency();
  }

  @PostConstruct
  void load() {
    try {
      read();
    } catch (IllegalStateException e) {
      throw io.tributary.platform.ConfigurationError.stop(e.getMessage());
    }
  }

  private void read() {
    for (SyncJob job : List.of(SyncJob.FIFTEEN_MINUTES, SyncJob.THIRTY_MINUTES)) {
      String key = "sync.schedule." + job.interval();
      String expr =
          config.getOptionalValue(key, String.class).orElse(job == SyncJob.FIFTEEN_MINUTES ? "*/15 * * * *" : "*/30 * * * *").strip();
      if (!expr.equalsIgnoreCase("off")) {
        schedules.put(job, ExecutionTime.forCron(parse(key, expr)));
        if (expr.split("\\s+").length == 6) {
          withSeconds.add(job);
        }
      }
      scheduleText.put(job, expr);
    }
    for (Provider p : Provider.values()) {
      String interval = config.getOptionalValue("sync." + p.configPrefix() + ".interval", String.class).orElse(p.defaultInterval()).strip();
      if (!interval.equals("15min") && !interval.equals("30min")) {
        throw new IllegalStateException(
            "sync." + p.configPrefix() + ".interval must be 15min or 30min, got '" + interval + "'");
      }
      intervals.put(p, interval);
      if (config.getOptionalValue("sync." + p.configPrefix() + ".enabled", Boolean.class).orElse(true)) {
        enabled.add(p);
      }
    }
    concurrency = positive("sync.concurrency", 128);
    perProviderConcurrency = Math.min(concurrency, positive("sync.concurrency.per.provider", Math.max(1, concurrency * 3 / 4)));
    chunkSize = positive("sync.chunk.size", 500);
    leaseTimeout = Duration.ofSeconds(positive("sync.lease.timeout.seconds", 120));
  }

  private static Cron parse(String key, String expr) {
    try {
      return (expr.trim().split("\\s+").length == 6 ? WITH_SECONDS : UNIX).parse(expr).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          key + " is not a cron expression: five fields such as */15 * * * *, six with seconds first, or 'off': '" + expr + "'");
    }
  }

  private int positive(String key, int def) {
    int v = config.getOptionalValue(key, Integer.class).orElse(def);
    if (v < 1) {
      throw new IllegalStateException(key + " must be at least 1, got " + v);
    }
    return v;
  }


  /** The enabled providers a job syncs: 15min → GitHub, 30min → the others (by default); all → all. */
  public Set<Provider> providers(SyncJob job) {
    Set<Provider> out = EnumSet.noneOf(Provider.class);
    for (Provider p : enabled) {
      if (job == SyncJob.ALL || intervals.get(p).equals(job.interval())) {
        out.add(p);
      }
    }
    return out;
  }

  /** The latest scheduled slot at or before {@code now}, when the job has a schedule. */
  public Optional<Instant> latestSlot(SyncJob job, Instant now) {
    ExecutionTime t = schedules.get(job);
    if (t == null) {
      return Optional.empty();
    }
    ZonedDateTime z = now.atZone(ZoneOffset.UTC).withNano(0);
    ZonedDateTime candidate = withSeconds.contains(job) ? z : z.withSecond(0);
    if (t.isMatch(candidate)) {
      return Optional.of(candidate.toInstant());
    }
    return t.lastExecution(z).map(ZonedDateTime::toInstant);
  }

  /** Scheduled slots strictly between two instants (missed-slot accounting), at most {@code max}. */
  public List<Instant> slotsBetween(SyncJob job, Instant afterExclusive, Instant beforeExclusive, int max) {
    List<Instant> out = new ArrayList<>();
    ExecutionTime t = schedules.get(job);
    if (t == null || !afterExclusive.isBefore(beforeExclusive)) {
      return out;
    }
    ZonedDateTime cursor = afterExclusive.atZone(ZoneOffset.UTC);
    while (out.size() < max) {
      Optional<ZonedDateTime> next = t.nextExecution(cursor);
      if (next.isEmpty() || !next.get().toInstant().isBefore(beforeExclusive)) {
        break;
      }
      out.add(next.get().toInstant());
      cursor = next.get();
    }
    return out;
  }

  /** The interval between two slots of the job's schedule, around {@code now}. */
  public Optional<Duration> period(SyncJob job, Instant now) {
    ExecutionTime t = schedules.get(job);
    if (t == null) {
      return Optional.empty();
    }
    ZonedDateTime z = now.atZone(ZoneOffset.UTC);
    Optional<ZonedDateTime> next = t.nextExecution(z);
    Optional<ZonedDateTime> after = next.flatMap(t::nextExecution);
    return next.isPresent() && after.isPresent() ? Optional.of(Duration.between(next.get(), after.get())) : Optional.empty();
  }

  public boolean scheduled(SyncJob job) {
    return schedules.containsKey(job);
  }

  public String scheduleText(SyncJob job) {
    return scheduleText.getOrDefault(job, "off");
  }

  public int concurrency() {
    return concurrency;
  }

  public int perProviderConcurrency() {
    return perProviderConcurrency;
  }

  public int chunkSize() {
    return chunkSize;
  }

  public Duration leaseTimeout() {
    return leaseTimeout;
  }

}
