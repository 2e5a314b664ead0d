-- Argo CD resource actions for phala.cloud/PhalaApp: which ones the UI offers for this object.
-- Lua 5.1 (Argo CD's gopher-lua). Each action edits spec only; the operator does the rest.
local actions = {}
local paused = obj.spec ~= nil and obj.spec.rollout ~= nil and obj.spec.rollout.paused == true
local failed = obj.status ~= nil and obj.status.rollout ~= nil and obj.status.rollout.failedRevision ~= nil
actions["restart"] = {["disabled"] = paused}
actions["pause"] = {["disabled"] = paused}
actions["resume"] = {["disabled"] = not paused}
actions["retry"] = {["disabled"] = not failed}
return actions
