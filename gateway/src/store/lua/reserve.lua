-- Reserve an amount against every budget counter, or against none.
-- KEYS: counter hashes {spent, reserved}. ARGV[1]: amount (micro-dollars);
-- ARGV[1+i]: limit of KEYS[i] ('' = no limit); ARGV[1+n+i]: expiry of KEYS[i] (epoch ms, the window's end).
-- Returns {0, level1, level2, ...} (settled + reserved before this reservation) when reserved, else {i, spent, reserved} for the first counter that would pass its limit.
local amount = tonumber(ARGV[1])
local n = #KEYS
local result = {0}
for i = 1, n do
  local v = redis.call('HMGET', KEYS[i], 'spent', 'reserved')
  local spent = tonumber(v[1]) or 0
  local reserved = tonumber(v[2]) or 0
  local limit = ARGV[1 + i]
  if limit ~= '' and spent + reserved + amount > tonumber(limit) then
    return {i, spent, reserved}
  end
  result[i + 1] = spent + reserved
end
for i = 1, n do
  redis.call('HINCRBY', KEYS[i], 'reserved', amount)
  redis.call('PEXPIREAT', KEYS[i], ARGV[1 + n + i])
end
return result
