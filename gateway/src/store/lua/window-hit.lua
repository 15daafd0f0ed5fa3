-- Fixed-window counter with a limit. KEYS[1]: the window counter.
-- ARGV[1]: limit; ARGV[2]: window length (ms); ARGV[3]: cost of this hit.
-- Returns {allowed (1|0), count, ms until the window resets}.
local limit = tonumber(ARGV[1])
local cost = tonumber(ARGV[3])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('DEL', KEYS[1])
  count = 0
  ttl = tonumber(ARGV[2])
end
if count + cost > limit then
  return {0, count, ttl}
end
count = redis.call('INCRBY', KEYS[1], cost)
if count == cost then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return {1, count, ttl}
