package cloud.phala.operator.simulator.cloud;

import java.time.Instant;

/** From {@code at} on, {@code serving} of an app's {@code total} CVMs were serving. */
public record AvailabilityPoint(Instant at, int serving, int total) {}
