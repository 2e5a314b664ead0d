package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-level quoting must write exactly what quoting into a String with {@link JsJson} and
 * encoding that as UTF-8 writes (the String path is checked against Node's JSON.stringify by the
 * vectors in EnvPayloadTest), including the lone surrogates EnvSet refuses.
 */
class JsJsonUtf8Test {
  /** Every class of char the encoder treats differently, at the edges of each class. */
  private static final char[] CHARS = {
    'a', 'Z', '0', ' ', '~', '/', '"', '\\', '\b', '\f', '\n', '\r', '\t', 0, 1, 0x0b, 0x1f, 0x7f,
    0x80, 0x85, 0xa0, 0xe9, 0xff, 0x100, 0x7ff, 0x800, 0x2028, 0x4e2d, 0xd7ff, 0xd800, 0xdbff,
    0xdc00, 0xdfff, 0xe000, 0xfeff, 0xffff
  };

  @Test
  void writeQuoted_matchesTheStringPath_overGeneratedStrings() {
    Random random = new Random(20261203L);
    for (int round = 0; round < 20_000; round++) {
      String s = generated(random, random.nextInt(round % 100 == 0 ? 2000 : 24));

      assertThat(viaBytes(s)).as("round %d", round).isEqualTo(viaString(s));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "plain ascii, copied in one go",
        "\ud83d\ude00 paired",
        "lone high \ud83d at the end \ud83d",
        "\ude00 lone low first",
        "low before high \ude00\ud83d",
        "high high low \ud83d\ud83d\ude00",
        "\u0000\u001f\u007f\u0080\u07ff\u0800\uffff"
      })
  void writeQuoted_matchesTheStringPath_atTheEdges(String s) {
    assertThat(viaBytes(s)).isEqualTo(viaString(s));
  }

  @Test
  void writeQuoted_escapesLoneSurrogatesInLowercaseAsJsonStringifyDoes() {
    assertThat(new String(viaBytes("a\ud800b\udfff"), StandardCharsets.UTF_8))
        .isEqualTo("\"a\\ud800b\\udfff\"");
  }

  private static String generated(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(10);
      if (pick < 4) {
        s.append(CHARS[random.nextInt(CHARS.length)]);
      } else if (pick < 6) {
        s.appendCodePoint(0x10000 + random.nextInt(0x100000));
      } else if (pick < 8) {
        s.append((char) random.nextInt(0x10000));
      } else {
        s.append((char) (0x20 + random.nextInt(0x5f)));
      }
    }
    return s.toString();
  }

  private static byte[] viaBytes(String s) {
    int length = JsJsonUtf8.quotedLength(s);
    byte[] out = new byte[length + 2];
    out[0] = '<';
    out[length + 1] = '>';
    int end = JsJsonUtf8.writeQuoted(s, length, out, 1);
    assertThat(end).as("end position").isEqualTo(length + 1);
    assertThat(out[length + 1]).as("byte after the quoted string").isEqualTo((byte) '>');
    byte[] quoted = new byte[length];
    System.arraycopy(out, 1, quoted, 0, length);
    return quoted;
  }

  private static byte[] viaString(String s) {
    StringBuilder out = new StringBuilder();
    JsJson.quote(s, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
