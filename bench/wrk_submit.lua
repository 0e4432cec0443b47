-- wrk script for bench/applications.py: each request POSTs the next prepared submission.
--
--   wrk -t T -c C -d S -s wrk_submit.lua URL -- BODIES THREADS OUT
--
-- BODIES holds one JSON body per line (each with its own submission_key). Thread i sends lines
-- i, i+T, i+2T, ... and writes every answer to OUT.i as "status<TAB>body" lines, so the benchmark
-- can check each key's answer against the database afterwards. A thread that runs out of bodies
-- sends GET /healthz instead (counted apart; the benchmark prepares more bodies than it needs).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path, nthreads, out_prefix = args[1], tonumber(args[2]), args[3]
  bodies = {}
  local n = 0
  for line in io.lines(path) do
    if n % nthreads == id then
      bodies[#bodies + 1] = line
    end
    n = n + 1
  end
  next_body = 1
  out = io.open(out_prefix .. "." .. id, "w")
  out:setvbuf("line") -- every answer is on disk even though wrk never closes the file
  headers = { ["Content-Type"] = "application/json; charset=utf-8" }
end

function request()
  local body = bodies[next_body]
  if body == nil then
    return wrk.format("GET", "/healthz")
  end
  next_body = next_body + 1
  return wrk.format("POST", "/api/v1/applications", headers, body)
end

function response(status, _headers, body)
  out:write(status, "\t", body, "\n")
end
