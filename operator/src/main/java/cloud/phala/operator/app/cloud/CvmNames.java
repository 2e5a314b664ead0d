package cloud.phala.operator.app.cloud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The deterministic name of a PhalaApp's first CVM on Phala Cloud: the cluster, namespace and name
 * it belongs to, cut to fit the API's 5-63 character RFC 1123 limit, with a short hash so cut names
 * stay unique. Deterministic, so a crash after the commit finds the CVM again by name.
 */
public final class CvmNames {
  private CvmNames() {}

  public static String of(String cluster, String namespace, String name) {
    String readable =
        (cluster + "-" + namespace + "-" + name)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-");
    if (!Character.isLetter(readable.charAt(0))) {
      readable = "p-" + readable;
    }
    String suffix = hash(cluster + "/" + namespace + "/" + name);
    String head = readable.length() > 54 ? readable.substring(0, 54) : readable;
    return head.replaceAll("-+$", "") + "-" + suffix;
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
