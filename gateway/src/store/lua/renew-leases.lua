-- Extends the leases of reservations whose holder is alive; a lease already reclaimed stays gone.
-- KEYS[1]: the lease index (zset). ARGV[1]: lease length (ms); ARGV[2..]: hold ids.
local time = redis.call('TIME')
local until_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', until_ms, ARGV[i])
end
return 1
