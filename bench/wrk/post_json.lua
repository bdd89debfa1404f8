-- POSTs a JSON body to a path built from a random id of a file (one id per line).
--   wrk ... -s post_json.lua URL -- IDS_FILE PATH_TEMPLATE BODY_TEMPLATE
-- `{id}` in PATH_TEMPLATE is replaced by the id; `{n}` in BODY_TEMPLATE by a number unique
-- per request across threads (for bank references). Token: THNCD_BENCH_TOKEN.
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

local ids, path_t, body_t, headers, n, nonce = {}, nil, nil, nil, 0, nil
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(ids, line) end
  end
  path_t, body_t = args[2], args[3]
  headers = { ["Authorization"] = "Bearer " .. os.getenv("THNCD_BENCH_TOKEN"), ["Content-Type"] = "application/json" }
  math.randomseed(os.time() * 1000 + thread_id)
  -- Unique across runs too (the warm-up run must not reuse the measured run's references).
  nonce = tostring(os.time()) .. tostring(math.random(1000000))
end

function request()
  n = n + 1
  local id = ids[math.random(#ids)]
  local path = path_t:gsub("{id}", id)
  local body = body_t:gsub("{n}", nonce .. "-" .. tostring(thread_id) .. "-" .. tostring(n))
  return wrk.format("POST", path, headers, body)
end
