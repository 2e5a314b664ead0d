package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KmsSignerTest {
  private static final JsonNode KAT4_V1 = Vectors.named("kms_pubkey_signatures", "KAT-4 v1");
  private static final JsonNode KAT4_LEGACY =
      Vectors.named("kms_pubkey_signatures", "KAT-4 legacy");

  @Test
  void signer_reproducesKat4DeterministicSignaturesExactly() {
    KmsSigner signer = KmsSigner.fromHex(KAT4_V1.get("signer_private_key_hex").asText());
    AppId appId = AppId.fromHex(KAT4_V1.get("app_id_hex").asText());
    EnvPublicKey key = EnvPublicKey.fromHex(KAT4_V1.get("public_key_hex").asText());

    assertThat(signer.signTimestamped(appId, key, KAT4_V1.get("timestamp").asLong()))
        .isEqualTo(KAT4_V1.get("signature_hex").asText());
    assertThat(signer.signLegacy(appId, key)).isEqualTo(KAT4_LEGACY.get("signature_hex").asText());
  }

  @Test
  void messages_matchTheKat4KeccakDigests() {
    AppId appId = AppId.fromHex(KAT4_V1.get("app_id_hex").asText());
    EnvPublicKey key = EnvPublicKey.fromHex(KAT4_V1.get("public_key_hex").asText());

    assertThat(HexFormat.of().formatHex(KmsMessage.timestampedDigest(appId, 1_700_000_000L, key)))
        .isEqualTo(KAT4_V1.get("message_keccak256_hex").asText());
    assertThat(HexFormat.of().formatHex(KmsMessage.legacyDigest(appId, key)))
        .isEqualTo(KAT4_LEGACY.get("message_keccak256_hex").asText());
  }

  @Test
  void aGeneratedSigner_signsWhatTheVerifierAccepts() {
    SecureRandom random = new SecureRandom();
    KmsSigner signer = KmsSigner.generate(random);
    AppId appId = AppId.fromHex(HexFormat.of().formatHex(random.generateSeed(20)));
    EnvPublicKey key = EnvPrivateKey.generate(random).publicKey();
    long now = System.currentTimeMillis() / 1000;
    KmsPublicKeyVerifier verifier = new KmsPublicKeyVerifier(signer.rootKey());

    assertThat(verifier.verifyLegacy(appId, key.toHex(), signer.signLegacy(appId, key)))
        .isEqualTo(key);
    assertThat(
            verifier.verifyTimestamped(
                appId, key.toHex(), now, signer.signTimestamped(appId, key, now)))
        .isEqualTo(key);
  }

  @Test
  void signer_toString_showsOnlyThePublicRootKey() {
    KmsSigner signer = KmsSigner.fromHex("01".repeat(32));

    assertThat(signer.toString()).isEqualTo("KmsSigner[" + signer.rootKey().toHex() + "]");
  }
}
