-- GET /api/v1/admin-units/{code} with a random code per request (Bearer auth).
--
-- Arguments (after `--`): the path of a Lua file that returns the list of codes, e.g.
--   return { "01", "00070", ... }
-- bench/run.sh generates it from data/admin-units-vn-2025.csv (column 1).
-- The token comes from the environment variable THNCD_BENCH_TOKEN (kept out of argv).

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

local codes, headers

function init(args)
  local file = args[1] or error("usage: wrk ... -s admin_unit_by_code.lua URL -- CODES_LUA_FILE")
  codes = dofile(file)
  if type(codes) ~= "table" or #codes == 0 then
    error("no codes in " .. file)
  end
  local token = os.getenv("THNCD_BENCH_TOKEN") or error("THNCD_BENCH_TOKEN is not set")
  headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  local code = codes[math.random(#codes)]
  return wrk.format("GET", "/api/v1/admin-units/" .. code, headers)
end
