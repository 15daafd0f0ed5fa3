-- Reserve an amount against every budget counter, or against none, under a lease.
-- KEYS[1]: the lease index (zset: hold id -> lease end, epoch ms); KEYS[2]: lease contents (hash: hold id ->
-- "amount\ncounter\ncounter…"); KEYS[3..]: counter hashes {spent, reserved}.
-- ARGV[1]: amount (micro-dollars); ARGV[2]: hold id ('' = no lease); ARGV[3]: lease length (ms);
-- ARGV[3+i]: limit of counter i ('' = no limit); ARGV[3+n+i]: expiry of counter i (epoch ms, the window's end).
-- Leases that ran out (their holder died without settling) are reclaimed first: their amount leaves `reserved`.
-- Returns {0, level1, level2, ...} (settled + reserved before this reservation) when reserved, else {i, spent, reserved} for the first counter that would pass its limit.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)) do
  local held = redis.call('HGET', KEYS[2], id)
  if held then
    local amount
    for part in string.gmatch(held, '[^\n]+') do
      if amount == nil then
        amount = tonumber(part)
      elseif redis.call('EXISTS', part) == 1 and redis.call('HINCRBY', part, 'reserved', 0 - amount) < 0 then
        redis.call('HSET', part, 'reserved', 0)
      end
    end
    redis.call('HDEL', KEYS[2], id)
  end
  redis.call('ZREM', KEYS[1], id)
end

local amount = tonumber(ARGV[1])
local n = #KEYS - 2
local result = {0}
for i = 1, n do
  local v = redis.call('HMGET', KEYS[2 + i], 'spent', 'reserved')
  local spent = tonumber(v[1]) or 0
  local reserved = tonumber(v[2]) or 0
  local limit = ARGV[3 + i]
  if limit ~= '' and spent + reserved + amount > tonumber(limit) then
    return {i, spent, reserved}
  end
  result[i + 1] = spent + reserved
end
local counters = {}
for i = 1, n do
  redis.call('HINCRBY', KEYS[2 + i], 'reserved', amount)
  redis.call('PEXPIREAT', KEYS[2 + i], ARGV[3 + n + i])
  counters[i] = KEYS[2 + i]
end
if ARGV[2] ~= '' and n > 0 and amount > 0 then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
  redis.call('HSET', KEYS[2], ARGV[2], amount .. '\n' .. table.concat(counters, '\n'))
end
return result
