package cloud.phala.operator.cloud.attestation;

import cloud.phala.operator.cloud.attestation.MalformedAttestationException.Problem;
import java.util.HexFormat;

/** Strict lowercase-or-uppercase hex with an optional 0x prefix, errors naming the field only. */
final class Hex {
  private Hex() {}

  static byte[] decode(String text, String field, int maxBytes) {
    String digits = text.startsWith("0x") ? text.substring(2) : text;
    if (digits.length() > 2L * maxBytes) {
      throw new MalformedAttestationException(
          Problem.TOO_LARGE, field + " is longer than " + maxBytes + " bytes");
    }
    try {
      return HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new MalformedAttestationException(Problem.BAD_HEX, field + " is not hex");
    }
  }

  static byte[] decodeExact(String text, String field, int length) {
    byte[] bytes = decode(text, field, length);
    if (bytes.length != length) {
      throw new MalformedAttestationException(
          Problem.BAD_FIELD, field + " must be " + length + " bytes, got " + bytes.length);
    }
    return bytes;
  }

  static String encode(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
