package cloud.phala.operator.app.resolve;

import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.EnvVar;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The revision of what a CVM boots with: HMAC-SHA256, keyed with the operator's own secret key,
 * over a canonical encoding of the full env (sorted by key, as the guest sorts it), the compose,
 * the pre-launch script and the allowed keys. Keyed, so a revision printed in status or logs cannot
 * be used to test guesses of a secret value. 16 hex characters (64 bits) is plenty to tell one
 * app's revisions apart.
 */
public final class Revision {
  /** Revisions bound to the PhalaApp (namespace and name); 1 was unbound. */
  public static final int SCHEME = 2;

  private final byte[] key;
  private final String scope;

  public Revision(byte[] key) {
    this(key, null);
  }

  private Revision(byte[] key, String scope) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the revision key must be at least 32 bytes");
    }
    this.key = key.clone();
    this.scope = scope;
  }

  /**
   * Revisions of one PhalaApp: the same env in two apps has two unrelated revisions, so one app's
   * status cannot confirm a guess about another's values.
   */
  public Revision forApp(String namespace, String name) {
    return new Revision(key, namespace + "/" + name);
  }

  public String of(EnvSet env, String compose, String preLaunchScript) {
    return hash(env, env.keys(), compose, preLaunchScript);
  }

  /**
   * The revision of the app compose alone: compose, pre-launch script and allowed key names, what a
   * replica inherits from the CVM it is copied from. With no keys it is the revision of an empty
   * env.
   */
  public String ofCompose(List<String> keys, String compose, String preLaunchScript) {
    return hash(EnvSet.empty(), keys, compose, preLaunchScript);
  }

  /**
   * A keyed tag (HMAC-SHA256, 128 bits as hex) over {@code fields}, none null: for a record the
   * operator keeps where others can write (status) and must know as its own before it acts on it.
   */
  public String tag(List<String> fields) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      field(mac, "tag");
      for (String value : fields) {
        field(mac, value);
      }
      return HexFormat.of().formatHex(mac.doFinal()).substring(0, 32);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private String hash(EnvSet env, List<String> allowed, String compose, String preLaunchScript) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      List<EnvVar> sorted =
          env.entries().stream().sorted(Comparator.comparing(EnvVar::key)).toList();
      if (scope != null) {
        field(mac, "app");
        field(mac, scope);
      }
      field(mac, "env");
      mac.update(ByteBuffer.allocate(4).putInt(sorted.size()).array());
      for (EnvVar var : sorted) {
        field(mac, var.key());
        field(mac, var.value());
      }
      field(mac, "compose");
      field(mac, compose);
      field(mac, "pre-launch");
      field(mac, preLaunchScript == null ? "" : preLaunchScript);
      field(mac, "allowed");
      field(mac, String.join(",", allowed.stream().sorted().toList()));
      return HexFormat.of().formatHex(mac.doFinal()).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** Length-prefixed, so no two different inputs encode the same. */
  private static void field(Mac mac, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    mac.update(bytes);
  }
}
