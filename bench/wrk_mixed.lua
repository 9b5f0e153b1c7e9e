-- wrk_mixed.lua - the wrk script of bench/mixed.sh: a weighted mix of what a
-- signed-in customer does, each request as one of the customers prepared by
-- bench/mixed_setup.mjs (read from the file SALDO_BENCH_CUSTOMERS: a line
-- "PRODUCT id period price_minor", then lines "CUSTOMER token org_id"). The
-- weights, out of 100 (by default):
--   40  GET  /api/v1/catalog?currency=EUR                 (public, no session)
--   25  GET  /api/v1/orgs/{org}/wallets
--   20  GET  /api/v1/orgs/{org}/transactions?limit=20     (the first page)
--   10  POST /api/v1/orgs/{org}/topups                    (bank transfer, 50.00 EUR)
--    5  POST /api/v1/orgs/{org}/orders                    (the cheapest product, from the balance)
-- Both POSTs carry an Idempotency-Key unique to the request (the thread's
-- number, the process id of the run and a counter); the GETs are formatted
-- once per customer. At the end it prints one machine-readable line for
-- mixed.sh, like wrk_report.lua, with the number of requests of each kind
-- summed over the threads. There is no response() function: with one, wrk
-- copies every answer's headers and body (16.5 kB for the catalog) into Lua
-- on the cores the server runs on. wrk counts answers of 400 and above
-- itself; mixed.sh checks from the server's /metrics that every answer of
-- the mix's routes was a 2xx.
-- SALDO_BENCH_MIX ("40,25,20,10,5", in that order; mixed.sh's BENCH_MIX)
-- sets other weights, to see which part of the mix costs what.
local KINDS = { "catalog", "wallets", "transactions", "topup", "order" }
local WEIGHTS = { catalog = 40, wallets = 25, transactions = 20, topup = 10, order = 5 }
local mix = os.getenv("SALDO_BENCH_MIX")
if mix and mix ~= "" then
  local sum, i = 0, 0
  for w in mix:gmatch("%d+") do
    i = i + 1
    WEIGHTS[KINDS[i]] = tonumber(w)
    sum = sum + tonumber(w)
  end
  assert(i == #KINDS and sum == 100, "SALDO_BENCH_MIX: five weights adding up to 100")
end

-- setup() runs in the main Lua state; it numbers the threads, whose own
-- states read their number as the global thread_no (so no local of that name).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

local customers = {}
local product
local counter = 0
local run_id

function init(args)
  local path = os.getenv("SALDO_BENCH_CUSTOMERS")
  assert(path and path ~= "", "SALDO_BENCH_CUSTOMERS is not set")
  for line in io.lines(path) do
    local kind, a, b, c = line:match("^(%u+) (%S+) (%S+) ?(%S*)$")
    if kind == "PRODUCT" then
      product = { id = a, period = b }
    elseif kind == "CUSTOMER" then
      table.insert(customers, { auth = "Bearer " .. a, org = b })
    end
  end
  assert(product and #customers > 0, path .. " names no product or no customer")
  for _, c in ipairs(customers) do
    local headers = { ["Authorization"] = c.auth }
    c.wallets = wrk.format("GET", "/api/v1/orgs/" .. c.org .. "/wallets", headers)
    c.transactions = wrk.format("GET", "/api/v1/orgs/" .. c.org .. "/transactions?limit=20", headers)
  end
  catalog_request = wrk.format("GET", "/api/v1/catalog?currency=EUR", {})
  run_id = os.getenv("SALDO_BENCH_RUN") or "run"
  for _, k in ipairs(KINDS) do _G["count_" .. k] = 0 end
  math.randomseed(os.time() + thread_no * 7919)
end

local function pick()
  local r = math.random(100)
  for _, k in ipairs(KINDS) do
    if r <= WEIGHTS[k] then return k end
    r = r - WEIGHTS[k]
  end
  error("the weights do not add up to 100")
end

function request()
  local kind = pick()
  _G["count_" .. kind] = _G["count_" .. kind] + 1
  if kind == "catalog" then
    return catalog_request
  end
  local c = customers[math.random(#customers)]
  if kind == "wallets" or kind == "transactions" then
    return c[kind]
  end
  local headers = { ["Authorization"] = c.auth }
  local base = "/api/v1/orgs/" .. c.org
  counter = counter + 1
  headers["Idempotency-Key"] = string.format("bench-%s-%d-%d", run_id, thread_no, counter)
  headers["Content-Type"] = "application/json"
  if kind == "topup" then
    return wrk.format("POST", base .. "/topups", headers,
      '{"amount":{"currency":"EUR","minor":5000},"method":"bank_transfer"}')
  end
  return wrk.format("POST", base .. "/orders", headers, string.format(
    '{"items":[{"product_id":%s,"period":%s}],"currency":"EUR","accept_terms":true,"pay_with":"balance"}',
    product.id, product.period))
end

function done(summary, latency, requests)
  local total = {}
  for _, k in ipairs(KINDS) do total[k] = 0 end
  for _, t in ipairs(threads) do
    for _, k in ipairs(KINDS) do total[k] = total[k] + (t:get("count_" .. k) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d" ..
    " catalog=%d wallets=%d transactions=%d topup=%d order=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout,
    total.catalog, total.wallets, total.transactions, total.topup, total.order))
end
