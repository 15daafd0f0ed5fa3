-- Settle a reservation: reserved -= reserved, spent += actual on every counter, and add the request to its
-- day's spend report, exactly once per settle id. The reservation's lease ends; if the lease had already run
-- out and been reclaimed, its amount left `reserved` then and is not taken off again.
-- KEYS[1]: the settle marker (makes a resent settle a no-op); KEYS[2]: the day's spend report hash;
-- KEYS[3]: the lease index; KEYS[4]: lease contents; KEYS[5..]: counter hashes.
-- ARGV[1]: marker lifetime (ms); ARGV[2]: reserved; ARGV[3]: actual; ARGV[4]: report expiry (epoch ms, 0 = no report);
-- ARGV[5]: hold id ('' = the reservation had no lease); ARGV[5+i]: expiry of KEYS[4+i] (epoch ms); then report field/amount pairs.
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) == false then
  return 0
end
local reserved = tonumber(ARGV[2])
local actual = tonumber(ARGV[3])
if ARGV[5] ~= '' and reserved > 0 then
  redis.call('HDEL', KEYS[4], ARGV[5])
  if redis.call('ZREM', KEYS[3], ARGV[5]) == 0 then
    reserved = 0
  end
end
local n = #KEYS - 4
for i = 1, n do
  local key = KEYS[4 + i]
  if reserved > 0 and redis.call('HINCRBY', key, 'reserved', 0 - reserved) < 0 then
    redis.call('HSET', key, 'reserved', 0)
  end
  if actual > 0 then
    redis.call('HINCRBY', key, 'spent', actual)
  end
  redis.call('PEXPIREAT', key, ARGV[5 + i])
end
if ARGV[4] ~= '0' then
  for j = 6 + n, #ARGV, 2 do
    redis.call('HINCRBY', KEYS[2], ARGV[j], ARGV[j + 1])
  end
  redis.call('PEXPIREAT', KEYS[2], ARGV[4])
end
return 1
