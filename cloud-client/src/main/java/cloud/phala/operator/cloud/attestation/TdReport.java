package cloud.phala.operator.cloud.attestation;

import cloud.phala.operator.cloud.attestation.MalformedAttestationException.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The measurements of a TDX quote v4 (Intel TDX DCAP Quote Generation Library, "TD Quote Body"): a
 * 48-byte header, then the 584-byte TD report body, then a 4-byte signature-data length. Offsets
 * are absolute in the quote.
 */
public record TdReport(
    byte[] mrtd, byte[] rtmr0, byte[] rtmr1, byte[] rtmr2, byte[] rtmr3, byte[] reportData) {
  static final int HEADER = 48;
  static final int BODY = 584;
  static final int SIGNED = HEADER + BODY;
  static final int MRTD = HEADER + 136;
  static final int RTMR0 = HEADER + 328;
  static final int REPORT_DATA = HEADER + 520;
  static final int TEE_TYPE_TDX = 0x81;
  public static final int MAX_QUOTE_BYTES = 64 * 1024;

  public static TdReport parse(byte[] quote) {
    if (quote.length < SIGNED + 4) {
      throw new MalformedAttestationException(
          Problem.BAD_QUOTE, "quote is " + quote.length + " bytes, shorter than a TDX quote v4");
    }
    ByteBuffer le = ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN);
    int version = Short.toUnsignedInt(le.getShort(0));
    int teeType = le.getInt(4);
    if (version != 4 || teeType != TEE_TYPE_TDX) {
      throw new MalformedAttestationException(
          Problem.BAD_QUOTE,
          "quote is version " + version + " tee type " + teeType + ", not a TDX quote v4");
    }
    long signatureLength = Integer.toUnsignedLong(le.getInt(SIGNED));
    if (signatureLength > quote.length - SIGNED - 4L) {
      throw new MalformedAttestationException(
          Problem.BAD_QUOTE, "quote signature data runs past the end of the quote");
    }
    return new TdReport(
        slice(quote, MRTD, 48),
        slice(quote, RTMR0, 48),
        slice(quote, RTMR0 + 48, 48),
        slice(quote, RTMR0 + 96, 48),
        slice(quote, RTMR0 + 144, 48),
        slice(quote, REPORT_DATA, 64));
  }

  public byte[] rtmr(int index) {
    return switch (index) {
      case 0 -> rtmr0.clone();
      case 1 -> rtmr1.clone();
      case 2 -> rtmr2.clone();
      case 3 -> rtmr3.clone();
      default -> throw new IllegalArgumentException("RTMR index " + index);
    };
  }

  @Override
  public byte[] rtmr3() {
    return rtmr3.clone();
  }

  @Override
  public byte[] mrtd() {
    return mrtd.clone();
  }

  @Override
  public byte[] reportData() {
    return reportData.clone();
  }

  private static byte[] slice(byte[] quote, int offset, int length) {
    return Arrays.copyOfRange(quote, offset, offset + length);
  }
}
