package io.tributary.testing;

import java.io.File;
import java.net.URI;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Integration tests deploy the real WAR that {@code mvn package} built, not a hand-listed subset:
 * what is tested is what ships.
 */
public final class Deployments {
  private Deployments() {}

  public static WebArchive tributaryWar() {
    File war = new File(System.getProperty("tributary.war", "target/tributary.war"));
    return ShrinkWrap.create(ZipImporter.class, "tributary.war").importFrom(war).as(WebArchive.class);
  }

  /**
   * The container reports its external interface address; tests talk to loopback only, and the
   * listener binds every interface, so the host is rewritten to 127.0.0.1.
   */
  public static URI loopback(URL deployed) {
    URI u = URI.create(deployed.toString());
    String path = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    return URI.create("http://127.0.0.1:" + u.getPort() + path);
  }
}
