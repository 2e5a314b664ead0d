package cloud.phala.operator.crd;

/**
 * What Kubernetes accepts as the name of a Secret or ConfigMap (a DNS-1123 subdomain) and as a key
 * of their data, so the API server refuses a reference that could never resolve, and no other text
 * reaches the operator's messages.
 */
final class Names {
  /** A DNS-1123 subdomain; its length (at most 253) is a separate rule. */
  static final String NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A Secret or ConfigMap data key; its length (at most 253) is a separate rule. */
  static final String KEY = "^[-._a-zA-Z0-9]+$";

  /** An RFC 3339 date-time, such as 2026-12-03T10:00:00Z (no backslash: it goes into CEL too). */
  static final String RFC_3339 =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

  private Names() {}
}
