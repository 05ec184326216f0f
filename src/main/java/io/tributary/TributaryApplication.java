package io.tributary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Activates JAX-RS: every resource of the service lives under {@code /api}. */
@ApplicationPath("api")
public class TributaryApplication extends Application {}
