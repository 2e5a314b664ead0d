-- Restarts every CVM (env unchanged) under the rollout's availability rules: spec.restartAt = now.
local os = require("os")
obj.spec.restartAt = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
