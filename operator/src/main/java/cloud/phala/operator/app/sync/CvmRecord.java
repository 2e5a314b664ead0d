package cloud.phala.operator.app.sync;

import cloud.phala.operator.crd.PhalaAppStatus;

/** What the operator remembers of one CVM between passes (kept in status). */
record CvmRecord(String revision, String composeRevision) {
  static CvmRecord from(PhalaAppStatus.CvmStatus status) {
    return new CvmRecord(status.envRevision, status.composeRevision);
  }
}
