package cloud.phala.operator.cloud;

/** A 202 to {@code PATCH /cvms/{id}/envs}: the CVM restarts to apply the env. */
public record EnvUpdateAccepted(String correlationId, boolean allowedEnvsChanged) {}
