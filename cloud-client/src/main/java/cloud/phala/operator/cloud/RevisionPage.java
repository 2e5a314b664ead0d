package cloud.phala.operator.cloud;

import java.util.List;

/** One page of {@code GET /apps/{app_id}/revisions}, newest first. */
public record RevisionPage(List<AppRevision> revisions, int total, int page, int totalPages) {}
