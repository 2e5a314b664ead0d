package cloud.phala.operator.cloud;

/**
 * One running CVM's entry in {@code GET /apps/{app_id}/attestations/tcb-evaluation}: Intel's TCB
 * status for its platform ({@code evaluation_status}, e.g. UpToDate, SWHardeningNeeded, OutOfDate),
 * whether the evaluation ran ({@code evaluation_ok}) and why not ({@code error}); null when absent.
 */
public record TcbEvaluation(String vmUuid, Boolean ok, String status, String error) {}
