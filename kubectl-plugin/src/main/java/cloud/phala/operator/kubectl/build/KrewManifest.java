package cloud.phala.operator.kubectl.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Build step: writes the krew manifest from its template with the version, the archive's address
 * and the sha256 of the archive the build just made, so the manifest never names a stale digest.
 *
 * <p>Arguments: template, archive, version, uri, output.
 */
public final class KrewManifest {
  private KrewManifest() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: KrewManifest TEMPLATE ARCHIVE VERSION URI OUTPUT");
    }
    String manifest =
        render(Files.readString(Path.of(args[0])), args[2], args[3], sha256(Path.of(args[1])));
    Path out = Path.of(args[4]);
    Files.createDirectories(out.getParent());
    Files.writeString(out, manifest);
  }

  /** The template with its placeholders filled in; fails if one is left. */
  static String render(String template, String version, String uri, String sha256) {
    String rendered =
        template.replace("@VERSION@", version).replace("@URI@", uri).replace("@SHA256@", sha256);
    if (rendered.contains("@")) {
      throw new IllegalStateException("the krew template has an unknown placeholder");
    }
    return rendered;
  }

  /** Lowercase hex SHA-256 of a file, as krew compares it. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
