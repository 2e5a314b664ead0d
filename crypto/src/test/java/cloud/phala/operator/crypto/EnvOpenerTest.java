package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvOpenerTest {
  private static final EnvPrivateKey KEY = EnvPrivateKey.generate(new SecureRandom());
  private static final EnvSet ENV =
      EnvSet.builder().put("FOO", "bar").put("API_KEY", "s3cr3t").build();

  @Test
  void openPlaintext_kat1FromTheDstackGuestTest() {
    JsonNode kat = Vectors.named("decrypt", "KAT-1");
    EnvPrivateKey key = EnvPrivateKey.fromHex(kat.get("recipient_private_key_hex").asText());

    byte[] plaintext =
        EnvOpener.openPlaintext(key, SealedEnv.fromHex(kat.get("encrypted_env_hex").asText()));

    assertThat(key.publicKey().toHex()).isEqualTo(kat.get("recipient_public_key_hex").asText());
    assertThat(new String(plaintext, StandardCharsets.UTF_8))
        .isEqualTo(kat.get("plaintext").asText());
  }

  static List<JsonNode> officialSdkBlobs() {
    return Vectors.section("sealed_by_official_sdk");
  }

  @ParameterizedTest
  @MethodSource("officialSdkBlobs")
  void open_everyBlobSealedByTheOfficialSdk_givesItsPlaintextAndPairs(JsonNode vector) {
    EnvPrivateKey key = EnvPrivateKey.fromHex(vector.get("recipient_private_key_hex").asText());
    SealedEnv sealed = SealedEnv.fromHex(vector.get("encrypted_env_hex").asText());

    byte[] plaintext = EnvOpener.openPlaintext(key, sealed);

    assertThat(new String(plaintext, StandardCharsets.UTF_8))
        .isEqualTo(vector.get("plaintext").asText());
    assertThat(EnvOpener.open(key, sealed)).isEqualTo(Vectors.envs(vector));
    assertThat(EnvPayload.encode(EnvSet.of(Vectors.envs(vector)))).isEqualTo(plaintext);
  }

  static List<Arguments> regions() {
    int ciphertextStart = SealedEnv.EPHEMERAL_KEY_LENGTH + SealedEnv.IV_LENGTH;
    return List.of(
        Arguments.of("ephemeral key", 0),
        Arguments.of("ephemeral key", SealedEnv.EPHEMERAL_KEY_LENGTH - 1),
        Arguments.of("iv", SealedEnv.EPHEMERAL_KEY_LENGTH),
        Arguments.of("iv", ciphertextStart - 1),
        Arguments.of("ciphertext", ciphertextStart),
        Arguments.of("ciphertext", ciphertextStart + 20),
        Arguments.of("tag", -SealedEnv.TAG_LENGTH),
        Arguments.of("tag", -1));
  }

  @ParameterizedTest(name = "{0} byte {1}")
  @MethodSource("regions")
  void open_aBlobWithOneFlippedBit_failsWithTheGenericError(String region, int offset) {
    byte[] blob = EnvSealer.seal(KEY.publicKey(), ENV).blob().clone();
    int index = offset >= 0 ? offset : blob.length + offset;
    blob[index] ^= 0x01;

    assertThatThrownBy(() -> EnvOpener.open(KEY, new SealedEnv(blob)))
        .isExactlyInstanceOf(SealedEnvException.class)
        .hasMessage("sealed env could not be opened");
  }

  @Test
  void open_withAnotherAppsKey_failsWithTheGenericError() {
    SealedEnv sealed = EnvSealer.seal(KEY.publicKey(), ENV);
    EnvPrivateKey other = EnvPrivateKey.generate(new SecureRandom());

    assertThatThrownBy(() -> EnvOpener.open(other, sealed))
        .isExactlyInstanceOf(SealedEnvException.class)
        .hasMessage("sealed env could not be opened");
  }

  @Test
  void open_authenticPlaintextThatIsNotAnEnvPayload_failsWithTheGenericError() {
    SealedEnv sealed = SealedTestBlobs.sealRaw(KEY.publicKey(), "{\"env\":{\"FOO\":\"bar\"}}");

    assertThatThrownBy(() -> EnvOpener.open(KEY, sealed))
        .isExactlyInstanceOf(SealedEnvException.class)
        .hasMessage("sealed env could not be opened");
  }

  @Test
  void open_anEphemeralKeyOfLowOrder_failsWithTheGenericError() {
    byte[] blob = EnvSealer.seal(KEY.publicKey(), ENV).blob().clone();
    java.util.Arrays.fill(blob, 0, SealedEnv.EPHEMERAL_KEY_LENGTH, (byte) 0);

    assertThatThrownBy(() -> EnvOpener.open(KEY, new SealedEnv(blob)))
        .isExactlyInstanceOf(SealedEnvException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0x", "abc", "zz", "0xg0", "00112233", "éé"})
  void fromHex_rejectsEmptyOddNonHexAndTruncatedInput(String input) {
    assertThatThrownBy(() -> SealedEnv.fromHex(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sealed env ");
  }

  @Test
  void fromHex_rejectsABlobOneByteShorterThanKeyIvAndTag() {
    String blob = EnvSealer.seal(KEY.publicKey(), EnvSet.empty()).toHex();
    String truncated = blob.substring(0, 2 * (SealedEnv.MIN_LENGTH - 1));

    assertThatThrownBy(() -> SealedEnv.fromHex(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than");
  }

  @Test
  void open_aBlobTruncatedInsideTheCiphertext_failsWithTheGenericError() {
    String blob = EnvSealer.seal(KEY.publicKey(), ENV).toHex();

    SealedEnv truncated = SealedEnv.fromHex(blob.substring(0, blob.length() - 2));

    assertThatThrownBy(() -> EnvOpener.open(KEY, truncated))
        .isExactlyInstanceOf(SealedEnvException.class);
  }

  @Test
  void fromHex_acceptsUppercaseAndAPrefix() {
    SealedEnv sealed = EnvSealer.seal(KEY.publicKey(), ENV);

    SealedEnv parsed = SealedEnv.fromHex("0x" + sealed.toHex().toUpperCase());

    assertThat(parsed).isEqualTo(sealed);
    assertThat(EnvSet.of(EnvOpener.open(KEY, parsed))).isEqualTo(ENV);
  }

  @Test
  void privateKey_toString_showsNoSecretBytes() {
    EnvPrivateKey key =
        EnvPrivateKey.fromHex("7c282bf94b35dc47801dc953bfa0896fc2bd313381d3e8eca4e42f6536d2a96f");

    assertThat(key.toString())
        .doesNotContain("7c282bf9")
        .isEqualTo(
            "EnvPrivateKey[public=b5ee2e67280ef8c9540850e90e6b7ee1b5e7ef011301bde95a2e6f953d04d201]");
  }
}
