package cloud.phala.operator.cloud;

import java.util.Optional;

/** {@code GET /cvms/{id}/state}: status, and why a boot failed. */
public record CvmState(String status, boolean inProgress, Optional<String> bootError) {}
