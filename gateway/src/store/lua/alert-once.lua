-- True (1) the first time a marker is set in its window, 0 after. KEYS[1]: the marker; ARGV[1]: expiry (epoch ms).
if redis.call('SET', KEYS[1], '1', 'NX', 'PXAT', ARGV[1]) then
  return 1
end
return 0
