-- wrk script: each request takes the next path of the file given after "--", so a
-- load spreads over many URLs (500 articles, or search queries) instead of one.
local paths = {}
local next_path = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads * 97)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  next_path = offset or 0
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
