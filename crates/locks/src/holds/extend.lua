local now = tonumber(ARGV[1])
local held = redis.call('HMGET', KEYS[1], 'id', 'expires', 'extensions')
local held_until = tonumber(held[2])
if held[1] ~= ARGV[2] or not held_until or held_until <= now then
  return {'gone'}
end
if (tonumber(held[3]) or 0) >= tonumber(ARGV[5]) then
  return {'limit', held[2], held[3] or '0'}
end
local extensions = redis.call('HINCRBY', KEYS[1], 'extensions', 1)
redis.call('HSET', KEYS[1], 'expires', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local key_ttl = tonumber(ARGV[4])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2])
  if redis.call('PTTL', KEYS[i]) < key_ttl then
    redis.call('PEXPIRE', KEYS[i], ARGV[4])
  end
end
return {'extended', ARGV[3], tostring(extensions)}
