package io.tributary.dashboard;

import io.tributary.connections.ConnectionStatus;
import io.tributary.connections.ConnectionStore;
import io.tributary.connections.ConnectionSync;
import io.tributary.connections.ConnectionView;
import io.tributary.connections.SyncOutcome;
import io.tributary.platform.InstanceIdentity;
import io.tributary.providers.Provider;
import jakarta.annotation.PostConstruct;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code /dashboard/integrations}: every provider's health and every connection's, filtered by
 * provider, health state and user, in keyset pages ({@link ConnectionQueries}); per connection
 * "sync now", "disable" and "enable".
 *
 * <p>View-scoped: a button in a row acts on the row that was shown, even when the table changed
 * since (the rows of the view are kept with it). Each action ends in a redirect to the same filters
 * (POST-redirect-GET).
 */
@Named("integrations")
@ViewScoped
public class IntegrationsPage implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject ConnectionQueries queries;
  @Inject ConnectionStore connections;
  @Inject ConnectionSync sync;
  @Inject InstanceIdentity instance;
  @Inject Operator operator;
  @Inject Clock clock;

  private ConnectionFilter filter;
  // The data shown; not kept if the session is ever serialised (reloaded from the filter then).
  private transient ConnectionPage page;
  private transient List<ConnectionRow> rows;
  private transient List<ProviderHealth> health;

  @PostConstruct
  void init() {
    filter =
        ConnectionFilter.parse(
            FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap());
  }

  public ConnectionFilter getFilter() {
    return filter;
  }

  public ConnectionPage getPage() {
    if (page == null) {
      page = queries.page(filter);
    }
    return page;
  }

  /** The page's rows, written out for the table (kept with the view, as the page is). */
  public List<ConnectionRow> getRows() {
    if (rows == null) {
      String contextPath = FacesContext.getCurrentInstance().getExternalContext().getRequestContextPath();
      Instant now = clock.instant();
      rows = getPage().rows().stream().map(c -> new ConnectionRow(c, contextPath + userLink(c.userId()), now)).toList();
    }
    return rows;
  }

  public List<ProviderHealth> getHealth() {
    if (health == null) {
      health = queries.providerHealth();
    }
    return health;
  }

  public List<Provider> getProviders() {
    return Arrays.asList(Provider.values());
  }

  public List<HealthState> getStates() {
    return Arrays.asList(HealthState.values());
  }

  public String providerLabel(String id) {
    return Labels.provider(id);
  }

  /** The link to this page with {@code f}'s filters and place. */
  static String link(ConnectionFilter f) {
    String q = f.query();
    return "/dashboard/integrations" + (q.isEmpty() ? "" : "?" + q);
  }

  public String getPreviousLink() {
    Long before = getPage().previousBefore();
    return before == null ? null : link(filter.before(before));
  }

  public String getNextLink() {
    Long after = getPage().nextAfter();
    return after == null ? null : link(filter.after(after));
  }

  public String getFirstLink() {
    return link(filter.after(0));
  }

  /** A row's link to the connections of its user (no other filter, the default page size). */
  static String userLink(String userId) {
    return link(new ConnectionFilter(null, null, userId, 0, null, ConnectionFilter.DEFAULT_SIZE));
  }

  /** The provider health table's link to a provider's connections in one state. */
  public String stateLink(Provider p, HealthState s) {
    return link(new ConnectionFilter(p, s, null, 0, null, filter.size()));
  }

  // --- actions ------------------------------------------------------------------------------

  public String syncNow(long id) {
    Optional<SyncOutcome> outcome = sync.sync(id, instance.id());
    if (outcome.isEmpty()) {
      Pages.error("Connection " + id + " no longer exists.");
    } else {
      SyncOutcome o = outcome.get();
      String what = "Connection " + id + " (" + Labels.provider(o.provider()) + ")";
      switch (o.status()) {
        case "success" ->
            Pages.info(
                what + " synced: " + o.recordsAdded() + " added, " + o.recordsUpdated() + " updated, "
                    + o.recordsRemoved() + " removed, " + o.calls() + " calls in "
                    + Formats.formatDuration(o.durationMs()) + ".");
        case "busy" -> Pages.warn(what + " is being synced right now; try again when that sync ends.");
        case "skipped" -> Pages.warn(what + " is not active (" + o.error() + "); enable or reconnect it first.");
        case "deferred" -> Pages.warn(what + " is rate limited by the provider and will be retried later: " + o.error());
        case "needs_reauth" -> Pages.error(what + " needs re-authorisation: the user must reconnect it (" + o.error() + ").");
        default -> Pages.error(what + " failed to sync: " + o.error());
      }
    }
    Pages.redirect(link(filter));
    return null;
  }

  public String disable(long id) {
    if (connections.setStatus(id, ConnectionStatus.DISABLED, "disabled by " + operator.getUsername() + " on the dashboard")) {
      Pages.info("Connection " + id + " is disabled: it is not synced until it is enabled again.");
    } else {
      Pages.error("Connection " + id + " no longer exists.");
    }
    Pages.redirect(link(filter));
    return null;
  }

  public String enable(long id) {
    Optional<ConnectionView> c = connections.find(id);
    if (c.isEmpty()) {
      Pages.error("Connection " + id + " no longer exists.");
    } else if (!ConnectionStatus.DISABLED.id().equals(c.get().status())) {
      Pages.warn("Connection " + id + " is " + c.get().status() + ", not disabled; nothing to enable.");
    } else if (connections.setStatus(id, ConnectionStatus.ACTIVE, null)) {
      Pages.info("Connection " + id + " is enabled again and syncs with its provider's next run.");
    }
    Pages.redirect(link(filter));
    return null;
  }
}
