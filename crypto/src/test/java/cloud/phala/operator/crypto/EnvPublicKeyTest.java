package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvPublicKeyTest {
  private static final String KEY =
      "b5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d201";

  @Test
  void fromHex_acceptsEitherCaseWithOrWithoutPrefix_andPrintsLowercaseWithout() {
    EnvPublicKey plain = EnvPublicKey.fromHex(KEY);

    assertThat(EnvPublicKey.fromHex("0x" + KEY)).isEqualTo(plain);
    assertThat(EnvPublicKey.fromHex("0X" + KEY.toUpperCase())).isEqualTo(plain);
    assertThat(plain.toHex()).isEqualTo(KEY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "0x",
        "b5ee2e67",
        "b5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d20",
        "b5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d20100",
        "g5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d201",
        "0x0xb5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d201",
        " b5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d201",
        "tZu5Zygu+MlUCFDpDmt+4bXn7wETAb3pWi5vlT0E0gE="
      })
  void fromHex_refusesAnythingButSixtyFourHexCharacters(String input) {
    assertThatThrownBy(() -> EnvPublicKey.fromHex(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("env encryption public key");
  }

  @Test
  void fromHex_saysWhatIsWrongByLength_neverEchoingTheInput() {
    assertThatThrownBy(() -> EnvPublicKey.fromHex("b5ee"))
        .hasMessage("env encryption public key must be 32 bytes (64 hex characters), got 2 bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080"
      })
  void fromHex_refusesLowOrderPoints(String lowOrder) {
    assertThatThrownBy(() -> EnvPublicKey.fromHex(lowOrder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "env encryption public key is a low-order X25519 point: sealing to it would not be"
                + " secret");
  }
}
