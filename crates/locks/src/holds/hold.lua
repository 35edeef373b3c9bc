local now = tonumber(ARGV[1])
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[1])
end
local held = redis.call('HMGET', KEYS[1], 'id', 'expires', 'extensions')
local held_until = tonumber(held[2])
if held[1] and held_until and held_until > now then
  return {'held', held[1], held[2], held[3] or '0'}
end
for i = 2, #KEYS do
  if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[i + 3]) then
    return {'full'}
  end
end
local key_ttl = tonumber(ARGV[4])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2])
  if redis.call('PTTL', KEYS[i]) < key_ttl then
    redis.call('PEXPIRE', KEYS[i], ARGV[4])
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'expires', ARGV[3], 'extensions', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'new', ARGV[2], ARGV[3], '0'}
