package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HexTest {
  @Test
  void encode_writesEveryByteValueAsTwoLowercaseDigits() {
    byte[] all = new byte[256];
    for (int b = 0; b < 256; b++) {
      all[b] = (byte) b;
    }

    assertThat(Hex.encode(all)).isEqualTo(HexFormat.of().formatHex(all));
  }

  @Test
  void encodeThenDecode_roundTripsRandomBytes() {
    Random random = new Random(20261203L);
    for (int round = 0; round < 100; round++) {
      byte[] bytes = new byte[1 + random.nextInt(300)];
      random.nextBytes(bytes);

      assertThat(Hex.decode("bytes", Hex.encode(bytes))).isEqualTo(bytes);
    }
  }

  @Test
  void encode_ofNothing_isEmpty() {
    assertThat(Hex.encode(new byte[0])).isEmpty();
  }
}
