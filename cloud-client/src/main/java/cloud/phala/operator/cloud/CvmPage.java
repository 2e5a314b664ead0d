package cloud.phala.operator.cloud;

import java.util.List;

/** One page of {@code GET /cvms/paginated}. */
public record CvmPage(List<Cvm> items, int total, int page, int pageSize, int pages) {}
