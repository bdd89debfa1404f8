-- GETs PATH_TEMPLATE with `{id}` replaced by a random id from IDS_FILE.
--   wrk ... -s get_ids.lua URL -- IDS_FILE PATH_TEMPLATE
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end
local ids, path_t, headers = {}, nil, nil
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(ids, line) end
  end
  path_t = args[2]
  headers = { ["Authorization"] = "Bearer " .. os.getenv("THNCD_BENCH_TOKEN") }
  math.randomseed(os.time() * 1000 + thread_id)
end
function request()
  return wrk.format("GET", (path_t:gsub("{id}", ids[math.random(#ids)])), headers)
end
