package cloud.phala.operator.cloud;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /cvms/{id}/state}: status, why a boot failed (one line of at most 200 characters, then
 * a note that it was cut), and how long the CVM has been running (empty when it is not running or
 * the answer cannot be read).
 */
public record CvmState(
    String status, boolean inProgress, Optional<String> bootError, Optional<Duration> uptime) {}
