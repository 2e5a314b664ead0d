package cloud.phala.operator.cloud.attestation;

import java.security.MessageDigest;
import java.util.List;

/** Replays an RTMR: start from 48 zero bytes, then RTMR = SHA-384(RTMR || digest) per event. */
public final class Rtmr {
  private Rtmr() {}

  public static byte[] replay(List<byte[]> digests) {
    byte[] register = new byte[RuntimeEvent.DIGEST_BYTES];
    MessageDigest sha384 = RuntimeEvent.sha384();
    for (byte[] digest : digests) {
      sha384.update(register);
      sha384.update(digest);
      register = sha384.digest();
    }
    return register;
  }
}
