package cloud.phala.operator.simulator.cloud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The OS images of the simulated cloud, each version in a production and a development build. A CVM
 * can move to any image of its own kind (production or development): the kind is fixed at deploy,
 * as Phala Cloud's upgrade rules keep it.
 */
public final class OsImages {
  public static final String DEFAULT = "dstack-0.5.4";

  public static final List<OsImage> ALL =
      List.of(
          image(List.of(0, 5, 5), false),
          image(List.of(0, 5, 5), true),
          image(List.of(0, 5, 4), false),
          image(List.of(0, 5, 4), true),
          image(List.of(0, 5, 3), false),
          image(List.of(0, 5, 3), true));

  private OsImages() {}

  /** By name or slug. */
  public static Optional<OsImage> find(String nameOrSlug) {
    return ALL.stream().filter(i -> i.answersTo(nameOrSlug)).findFirst();
  }

  /** The images a CVM on {@code current} may move to (itself included), newest first. */
  public static List<OsImage> availableFrom(OsImage current) {
    List<OsImage> out = new ArrayList<>();
    ALL.stream().filter(i -> i.dev() == current.dev()).forEach(out::add);
    return out;
  }

  /** The image a deploy asks for by name or slug, the default with none (400 if unknown). */
  static OsImage forDeploy(String requested) {
    String name = requested == null || requested.isBlank() ? DEFAULT : requested;
    return find(name)
        .orElseThrow(() -> CloudError.invalidField("image", "Unknown OS image " + name));
  }

  private static OsImage image(List<Integer> version, boolean dev) {
    String text = String.join(".", version.stream().map(String::valueOf).toList());
    String name = (dev ? "dstack-dev-" : "dstack-") + text;
    String hash = sha256(name);
    return new OsImage(name, name + "-" + hash.substring(0, 8), version, dev, hash);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
