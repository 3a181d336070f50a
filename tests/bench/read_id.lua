-- wrk script: GET a random record by id from a path template given in PATH_TEMPLATE
-- (e.g. /api/v1/clients/%d) over ids 1..MAX_ID.
local template = os.getenv("PATH_TEMPLATE")
local max_id = tonumber(os.getenv("MAX_ID"))
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format(template, math.random(1, max_id)))
end
