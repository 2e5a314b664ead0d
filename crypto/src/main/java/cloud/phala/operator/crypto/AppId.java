package cloud.phala.operator.crypto;

import java.util.Arrays;

/** A Phala app id: 20 bytes, written as 40 hex characters with an optional {@code 0x}. */
public final class AppId {
  static final int LENGTH = 20;
  private final byte[] bytes;

  private AppId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static AppId fromHex(String hex) {
    return new AppId(Hex.decodeExactLength("app id", hex, LENGTH));
  }

  /** Lowercase hex without {@code 0x}. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AppId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
