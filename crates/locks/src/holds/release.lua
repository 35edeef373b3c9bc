local held = redis.call('HMGET', KEYS[1], 'id', 'expires')
if held[1] ~= ARGV[2] then
  return 0
end
for i = 2, #KEYS do
  redis.call('ZREM', KEYS[i], ARGV[2])
end
redis.call('DEL', KEYS[1])
local held_until = tonumber(held[2])
if held_until and held_until > tonumber(ARGV[1]) then
  return 1
end
return 0
