-- wrk_report.lua - the wrk script of bench/http.sh: sends the bearer token
-- from SALDO_BENCH_TOKEN (when set) with every request, and prints one
-- machine-readable line at the end that http.sh reads its figures from
-- (latencies in microseconds), so no figure is scraped from wrk's prose.
local token = os.getenv("SALDO_BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
