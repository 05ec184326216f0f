/**
 * The operators' dashboard: Faces pages under {@code /dashboard/} behind the form login of {@link
 * io.tributary.security.TributaryAuthenticationMechanism}.
 *
 * <ul>
 *   <li>{@link io.tributary.dashboard.MonitoringPage} ({@code /dashboard/monitoring}) and {@link
 *       io.tributary.dashboard.ExecutionPage}: alerts, job statistics and recent executions from the
 *       monitoring service, charts drawn as inline SVG ({@link io.tributary.dashboard.SvgChart}),
 *       "run now" through the sync engine;
 *   <li>{@link io.tributary.dashboard.IntegrationsPage} ({@code /dashboard/integrations}): provider and
 *       connection health in keyset pages that stay index reads at any size ({@link
 *       io.tributary.dashboard.ConnectionQueries});
 *   <li>{@link io.tributary.dashboard.AdminsPage}: admin accounts;
 *   <li>{@link io.tributary.dashboard.SecurityHeaders}, {@link io.tributary.dashboard.FormTokenFilter}
 *       and {@link io.tributary.dashboard.RejectedFormHandlerFactory}: CSP and friends, and 403 for form
 *       posts without a valid view state (Faces' CSRF token).
 * </ul>
 *
 * No page has a script: every action is a POST form with its view state, followed by a redirect;
 * every view change is a link or a GET form. Read-only apart from the actions, which call the other
 * packages' services (ConnectionStore, ConnectionSync, SyncEngine, AdminAccounts).
 */
package io.tributary.dashboard;
