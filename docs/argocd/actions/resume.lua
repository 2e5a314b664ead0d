-- Lets the rollout go on: spec.rollout.paused = false.
if obj.spec.rollout == nil then
  obj.spec.rollout = {}
end
obj.spec.rollout.paused = false
return obj
