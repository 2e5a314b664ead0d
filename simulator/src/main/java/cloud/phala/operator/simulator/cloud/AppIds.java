package cloud.phala.operator.simulator.cloud;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Phala KMS app ids are Ethereum CREATE addresses of the team wallet: {@code keccak256(rlp([wallet,
 * nonce]))[12..32]}, so they can be predicted from the next nonce (protocol section 4.3).
 */
final class AppIds {
  private AppIds() {}

  static String createAddress(String walletHex, long nonce) {
    byte[] wallet = HexFormat.of().parseHex(walletHex);
    ByteArrayOutputStream items = new ByteArrayOutputStream();
    writeBytes(wallet, items);
    writeBytes(nonceBytes(nonce), items);
    byte[] payload = items.toByteArray();
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    list.write(0xc0 + payload.length);
    list.writeBytes(payload);
    KeccakDigest keccak = new KeccakDigest(256);
    byte[] encoded = list.toByteArray();
    keccak.update(encoded, 0, encoded.length);
    byte[] hash = new byte[32];
    keccak.doFinal(hash, 0);
    return HexFormat.of().formatHex(hash, 12, 32);
  }

  private static byte[] nonceBytes(long nonce) {
    if (nonce == 0) {
      return new byte[0];
    }
    byte[] full = java.math.BigInteger.valueOf(nonce).toByteArray();
    int skip = full[0] == 0 ? 1 : 0;
    return java.util.Arrays.copyOfRange(full, skip, full.length);
  }

  private static void writeBytes(byte[] bytes, ByteArrayOutputStream out) {
    if (bytes.length == 1 && (bytes[0] & 0xff) < 0x80) {
      out.write(bytes[0]);
    } else {
      out.write(0x80 + bytes.length);
      out.writeBytes(bytes);
    }
  }
}
