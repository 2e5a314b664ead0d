package cloud.phala.operator.cloud.attestation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One event-log entry. For dstack runtime events (type {@link #DSTACK_RUNTIME_EVENT_TYPE}, imr 3)
 * the digest is SHA-384(type as 4 bytes little-endian || ":" || name || ":" || payload), as
 * dstack's cc-eventlog computes it; other events carry a firmware digest that cannot be recomputed.
 */
public record RuntimeEvent(int imr, long eventType, byte[] digest, String event, byte[] payload) {
  public static final long DSTACK_RUNTIME_EVENT_TYPE = 0x08000001L;
  public static final int DIGEST_BYTES = 48;

  public RuntimeEvent {
    digest = digest.clone();
    payload = payload.clone();
  }

  public static RuntimeEvent runtime(String name, byte[] payload) {
    return new RuntimeEvent(
        3,
        DSTACK_RUNTIME_EVENT_TYPE,
        runtimeDigest(DSTACK_RUNTIME_EVENT_TYPE, name, payload),
        name,
        payload);
  }

  public boolean isRuntime() {
    return eventType == DSTACK_RUNTIME_EVENT_TYPE;
  }

  /** The digest recomputed from type, name and payload; only meaningful for runtime events. */
  public byte[] contentDigest() {
    return runtimeDigest(eventType, event, payload);
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  static byte[] runtimeDigest(long eventType, String name, byte[] payload) {
    MessageDigest sha384 = sha384();
    sha384.update(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) eventType).array());
    sha384.update((byte) ':');
    sha384.update(name.getBytes(StandardCharsets.UTF_8));
    sha384.update((byte) ':');
    sha384.update(payload);
    return sha384.digest();
  }

  static MessageDigest sha384() {
    try {
      return MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-384 is required by every Java platform", e);
    }
  }
}
