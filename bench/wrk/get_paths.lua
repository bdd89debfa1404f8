-- Authenticated GETs of one or more fixed paths (Bearer auth), chosen at random per
-- request when more than one is given. Used for the admin-unit search/list scenario.
--
-- Arguments (after `--`): one or more paths with their query strings, e.g.
--   /api/v1/admin-units?parent=01&q=phuong
-- The token comes from the environment variable THNCD_BENCH_TOKEN (kept out of argv).

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

local requests = {}

function init(args)
  if #args == 0 then
    error("usage: wrk ... -s get_paths.lua URL -- PATH [PATH ...]")
  end
  local token = os.getenv("THNCD_BENCH_TOKEN") or error("THNCD_BENCH_TOKEN is not set")
  local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
  -- Requests are pre-formatted once; request() only picks one.
  for i, path in ipairs(args) do
    requests[i] = wrk.format("GET", path, headers)
  end
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  if #requests == 1 then
    return requests[1]
  end
  return requests[math.random(#requests)]
end
