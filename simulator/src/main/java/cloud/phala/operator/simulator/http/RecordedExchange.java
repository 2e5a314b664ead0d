package cloud.phala.operator.simulator.http;

/**
 * A request and its response in full, handed to exchange listeners (conformance tests). Only
 * produced while a listener is registered.
 */
public record RecordedExchange(
    String method,
    String routeTemplate,
    String path,
    ApiVersion version,
    String requestContentType,
    byte[] requestBody,
    int status,
    String responseContentType,
    byte[] responseBody) {}
