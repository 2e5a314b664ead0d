package cloud.phala.operator.app.sync;

import cloud.phala.operator.crd.PhalaAppStatus;

/** The status a pass arrived at, and whether the app is still converging. */
public record SyncResult(PhalaAppStatus status, boolean converging) {}
