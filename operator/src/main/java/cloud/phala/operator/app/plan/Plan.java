package cloud.phala.operator.app.plan;

import java.util.List;

/**
 * What to do now, and whether the app is still converging (so it should be observed again soon).
 */
public record Plan(List<Action> actions, boolean converging) {}
