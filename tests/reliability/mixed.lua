-- wrk script: the mixed load of tests/reliability/mixed_load.sh. Each request is one of a
-- paralegal's day, by weight: a parole request or client read by id, a list page, a search,
-- the Today page's firm-wide reads (deadlines for two weeks, the overdue list, stats), and a
-- durable write (a new client, then a change to a request). MAX_ID bounds the ids read.
local max_id = tonumber(os.getenv("MAX_ID") or "1000")
local from, to = os.getenv("FROM"), os.getenv("TO")
local names = {"kow", "shev", "garc", "nguy", "olen", "mar", "ali", "ivan"}
local counter = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)

-- The command line's headers (the API key) and a JSON body's type: wrk.format takes a
-- request's headers instead of the command line's when it is given some.
local function json_headers()
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  return headers
end

request = function()
  counter = counter + 1
  local r = math.random(100)
  if r <= 30 then
    return wrk.format("GET", "/api/v1/parole-requests/" .. math.random(1, max_id))
  elseif r <= 40 then
    return wrk.format("GET", "/api/v1/clients/" .. math.random(1, max_id))
  elseif r <= 52 then
    return wrk.format("GET", "/api/v1/parole-requests?stage=filed&limit=50")
  elseif r <= 62 then
    return wrk.format("GET", "/api/v1/clients?q=" .. names[math.random(#names)] .. "&limit=20")
  elseif r <= 70 then
    return wrk.format("GET", "/api/v1/deadlines?from=" .. from .. "&to=" .. to .. "&limit=50")
  elseif r <= 76 then
    return wrk.format("GET", "/api/v1/deadlines?status=overdue&limit=50")
  elseif r <= 82 then
    return wrk.format("GET", "/api/v1/stats")
  elseif r <= 94 then
    return wrk.format("POST", "/api/v1/clients", json_headers(),
      string.format('{"family_name":"Load%d","given_name":"Mixed %d"}', counter, math.random(1e6)))
  else
    return wrk.format("PATCH", "/api/v1/parole-requests/" .. math.random(1, max_id),
      json_headers(),
      string.format('{"sponsor_name":"Sponsor %d"}', math.random(1e6)))
  end
end
