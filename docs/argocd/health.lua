-- Argo CD health check for phala.cloud/PhalaApp. Lua 5.1 (Argo CD's gopher-lua); no goto, no 5.2+.
-- Healthy: every replica runs the desired revision. Progressing: the operator has not observed the
-- latest spec yet, or a rollout is under way. Degraded: a CVM failed to boot, a referenced Secret is
-- missing or invalid, the env key failed verification, credentials are unavailable, or the app is
-- Blocked (status.phase) until a person acts.
-- Suspended: spec.rollout.paused is true (the operator changes no CVM).
local hs = {status = "Progressing", message = "Waiting for the operator"}

local function condition(status, type)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function message(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local status = obj.status
if status == nil then
  return hs
end
local generation = obj.metadata and obj.metadata.generation or 0
if status.observedGeneration == nil or status.observedGeneration < generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local secrets = condition(status, "SecretsResolved")
if secrets ~= nil and secrets.status == "False" then
  hs.status = "Degraded"
  hs.message = message(secrets, "A referenced Secret or ConfigMap is missing")
  return hs
end
local key = condition(status, "PublicKeyVerified")
if key ~= nil and key.status == "False" and key.reason ~= "VerificationDisabled" then
  hs.status = "Degraded"
  hs.message = message(key, "The env encryption key failed verification")
  return hs
end
local degraded = condition(status, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = message(degraded, "A CVM failed to boot")
  return hs
end
local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "False" and ready.reason == "CredentialsUnavailable" then
  hs.status = "Degraded"
  hs.message = message(ready, "No Phala Cloud credentials")
  return hs
end
-- Blocked: the operator does nothing until a person acts (an adoption grant, a pin that cannot be
-- deployed, an OS image the CVMs cannot move to, an untrusted env key); waiting would never end.
if status.phase == "Blocked" then
  hs.status = "Degraded"
  if ready ~= nil and ready.status == "False" then
    hs.message = message(ready, "Blocked until the spec or the operator's grants change")
  else
    hs.message = message(condition(status, "Progressing"), "Blocked until the spec changes")
  end
  return hs
end
if obj.spec ~= nil and obj.spec.rollout ~= nil and obj.spec.rollout.paused == true then
  hs.status = "Suspended"
  hs.message = message(condition(status, "Progressing"), "Rollout paused")
  return hs
end
local progressing = condition(status, "Progressing")
if progressing ~= nil and progressing.status == "True" then
  hs.message = message(progressing, "Rolling out")
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = message(ready, "All replicas ready")
  return hs
end
hs.message = message(ready, "Waiting for replicas")
return hs
