package cloud.phala.operator.bench;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.crypto.JsJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A copy of the sealer as it was before issue 18 (commit 036baa1), so SealBenchmark measures before
 * and after in the same JVM: BC X25519, {@code Cipher.getInstance} per seal, the JSON built in a
 * StringBuilder then encoded, hex through a {@code char[]}. Same wire format; not for production.
 */
final class BaselineSealer {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private BaselineSealer() {}

  static String sealToHex(EnvPublicKey recipient, EnvSet env) {
    return hex(seal(HexFormat.of().parseHex(recipient.toHex()), env));
  }

  static byte[] seal(byte[] recipient, EnvSet env) {
    byte[] ephemeralScalar = new byte[X25519.SCALAR_SIZE];
    byte[] iv = new byte[12];
    RANDOM.nextBytes(ephemeralScalar);
    RANDOM.nextBytes(iv);
    byte[] plaintext = encode(env);
    byte[] blob = new byte[32 + 12 + plaintext.length + 16];
    X25519.scalarMultBase(ephemeralScalar, 0, blob, 0);
    System.arraycopy(iv, 0, blob, 32, 12);
    byte[] key = new byte[X25519.POINT_SIZE];
    try {
      if (!X25519.calculateAgreement(ephemeralScalar, 0, recipient.clone(), 0, key, 0)) {
        throw new IllegalStateException("X25519 agreement gave the all-zero secret");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.doFinal(plaintext, 0, plaintext.length, blob, 44);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(ephemeralScalar, (byte) 0);
      Arrays.fill(plaintext, (byte) 0);
    }
    return blob;
  }

  static byte[] encode(EnvSet env) {
    StringBuilder out = new StringBuilder(Math.toIntExact(env.totalBytes() + 32L * env.size() + 9));
    out.append("{\"env\":[");
    boolean first = true;
    for (EnvVar var : env.entries()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"key\":");
      JsJson.quote(var.key(), out);
      out.append(",\"value\":");
      JsJson.quote(var.value(), out);
      out.append('}');
    }
    out.append("]}");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }
}
