package cloud.phala.operator.simulator.cloud;

/** A configuration change the cloud accepted; the CVM restarts to apply it. */
public record ChangeAccepted(String correlationId, boolean allowedEnvsChanged) {}
