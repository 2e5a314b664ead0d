package cloud.phala.operator.cloud;

/** {@code GET /kms/{kms}/pubkey/{app_id}}: the app's env key and the KMS signature over it. */
public record SignedEnvKey(String publicKey, String signature) {}
