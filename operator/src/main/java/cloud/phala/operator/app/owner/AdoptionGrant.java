package cloud.phala.operator.app.owner;

/**
 * An operator admin's word that the PhalaApp {@code namespace/name} (whatever its uid) may manage
 * Phala app {@code appId}: a ConfigMap in the operator's namespace, so tenants cannot write one.
 * Used once: the operator records the ownership and deletes the grant.
 */
public record AdoptionGrant(String configMapName, String namespace, String name, String appId) {}
