/**
 * The provider simulator: one loopback HTTP server imitating the GitHub, Notion, Slack and Google
 * Calendar APIs and their OAuth endpoints as {@code PROVIDERS.md} describes them. Test and demo
 * equipment: it ships in the WAR but only runs when a test, demo mode or a benchmark starts it, and
 * it uses no other Tributary code.
 *
 * <p>In a test:
 *
 * <pre>{@code
 * try (ProviderSimulator sim = ProviderSimulator.start(0)) {
 *   sim.clock().set(Instant.parse("2025-03-01T10:00:00Z"));
 *   Account octo = sim.account("github", "octo");
 *   Tokens tokens = octo.issueTokens(Duration.ofHours(8), true);
 *   octo.seed(150);                                  // 150 repositories, issues, pull requests
 *   sim.faults("github").rateLimitNext(1, 30);       // the first call hits the primary limit
 *   // point Tributary at sim.configProperties(), store tokens, run a sync, then:
 *   assertEquals(octo.items("issue").size(), storedIssues.size());
 *   assertEquals(3, sim.requestCount("github", "/issues"));
 * }
 * }</pre>
 *
 * <p>Standalone, for benchmarks: {@code java -cp <classes + jakarta.json + parsson>
 * io.tributary.simulator.ProviderSimulator --port 9000 --latency-ms 50 --generated}; any token
 * {@code gen-<provider>-<accountId>} then works without setup.
 *
 * <p>Simulator-only extras beyond the providers' behaviour: the authorize endpoints take {@code
 * login=<accountId>} (default "demo-user") and {@code deny=true}; {@code GET /} describes the
 * simulator.
 */
package io.tributary.simulator;
