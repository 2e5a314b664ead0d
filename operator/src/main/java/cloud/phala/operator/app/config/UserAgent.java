package cloud.phala.operator.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this process calls itself on every Phala Cloud request: {@code phala-operator/<version>
 * (shard <i>/<n>)}, so the provider's request logs (and the simulator's) tell which process sent
 * what. Version and shard only: nothing secret, nothing about the apps.
 */
public final class UserAgent {
  private UserAgent() {}

  public static String of(Shard shard) {
    return of(version(), shard);
  }

  static String of(String version, Shard shard) {
    return "phala-operator/" + version + " (shard " + shard.index() + "/" + shard.count() + ")";
  }

  /** The operator's version, from the build; {@code dev} when run from unfiltered sources. */
  static String version() {
    try (InputStream in = UserAgent.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "dev");
      return version.startsWith("${") ? "dev" : version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
