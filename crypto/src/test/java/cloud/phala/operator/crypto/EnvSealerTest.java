package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EnvSealerTest {
  private static final EnvPrivateKey RECIPIENT = EnvPrivateKey.generate(new SecureRandom());

  @Test
  void seal_withFixedEphemeralKeyAndIv_reproducesKat2Exactly() {
    JsonNode kat = Vectors.named("deterministic_seal", "KAT-2");
    Deque<byte[]> fixed = new ArrayDeque<>();
    fixed.add(hex(kat.get("ephemeral_private_key_hex").asText()));
    fixed.add(hex(kat.get("iv_hex").asText()));
    EnvSealer sealer =
        new EnvSealer(bytes -> System.arraycopy(fixed.pop(), 0, bytes, 0, bytes.length));
    EnvSet env = EnvSet.builder().put("FOO", "bar").put("API_KEY", "s3cr3t").build();

    SealedEnv sealed =
        sealer.sealWithOwnRandomness(
            EnvPublicKey.fromHex(kat.get("recipient_public_key_hex").asText()), env);

    assertThat(sealed.toHex()).isEqualTo(kat.get("encrypted_env_hex").asText());
  }

  @Test
  void seal_producesLowercaseHexWithoutPrefix_ofTheDocumentedLength() {
    EnvSet env = EnvSet.builder().put("FOO", "bar").build();

    String hex = EnvSealer.seal(RECIPIENT.publicKey(), env).toHex();

    assertThat(hex).matches("[0-9a-f]+").doesNotStartWith("0x");
    int plaintextLength = EnvPayload.encode(env).length;
    assertThat(hex).hasSize(2 * (32 + 12 + plaintextLength + 16));
  }

  @Test
  void seal_twiceOverTheSameInput_givesDifferentEphemeralKeysIvsAndCiphertexts() {
    EnvSet env = EnvSet.builder().put("FOO", "bar").build();

    SealedEnv first = EnvSealer.seal(RECIPIENT.publicKey(), env);
    SealedEnv second = EnvSealer.seal(RECIPIENT.publicKey(), env);

    assertThat(first.ephemeralPublicKey()).isNotEqualTo(second.ephemeralPublicKey());
    assertThat(first.iv()).isNotEqualTo(second.iv());
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void sealThenOpen_roundTripsRandomSetsWithUnicodeEmptyAndMaximalValues() {
    Random random = new Random(20261127L);
    for (int round = 0; round < 200; round++) {
      EnvSet env = RandomEnv.set(random, round);

      SealedEnv sealed = EnvSealer.seal(RECIPIENT.publicKey(), env);

      assertThat(EnvSet.of(EnvOpener.open(RECIPIENT, SealedEnv.fromHex(sealed.toHex()))))
          .as("round %d", round)
          .isEqualTo(env);
    }
  }

  @Test
  void sealThenOpen_roundTripsFromManyThreadsAtOnce() {
    List<EnvSet> envs =
        IntStream.range(0, 400).mapToObj(i -> RandomEnv.set(new Random(i), i)).toList();

    List<EnvSet> opened =
        envs.parallelStream()
            .map(env -> EnvSealer.seal(RECIPIENT.publicKey(), env))
            .map(blob -> EnvSet.of(EnvOpener.open(RECIPIENT, blob)))
            .toList();

    assertThat(opened).isEqualTo(envs);
  }

  @Test
  void sealThenOpen_roundTripsASetAtTheOneMebibyteLimit() {
    EnvSet env = RandomEnv.atTotalLimit();

    SealedEnv sealed = EnvSealer.seal(RECIPIENT.publicKey(), env);

    assertThat(env.totalBytes()).isEqualTo(EnvLimits.MAX_TOTAL_BYTES);
    assertThat(EnvSet.of(EnvOpener.open(RECIPIENT, sealed))).isEqualTo(env);
  }

  @Test
  void sealedEnv_toString_showsOnlyItsLength() {
    SealedEnv sealed =
        EnvSealer.seal(RECIPIENT.publicKey(), EnvSet.builder().put("A", "b").build());

    assertThat(sealed.toString()).isEqualTo("SealedEnv[" + sealed.byteLength() + " bytes]");
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
