-- Tries a failed (Halted or RolledBack) rollout again from where it stopped: spec.rollout.retryAt = now.
local os = require("os")
if obj.spec.rollout == nil then
  obj.spec.rollout = {}
end
obj.spec.rollout.retryAt = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
