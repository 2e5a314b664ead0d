package cloud.phala.operator.crypto;

/** UTF-8 byte length without allocating the encoded bytes (values may be 128 KiB each). */
final class Utf8 {
  private Utf8() {}

  /** Counts an unpaired surrogate as 3 bytes, the size of its escape-free WTF-8 form. */
  static int length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
