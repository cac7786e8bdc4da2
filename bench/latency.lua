-- wrk script for bench/latency.py: the request's method and form body come from the
-- environment (LATENCY_METHOD, LATENCY_BODY; the headers from wrk's -H), and when the run is
-- over it prints one line, "LATENCY {json}", with the latency percentiles in milliseconds and
-- the error counts (status: answers of 400 and above).
wrk.method = os.getenv("LATENCY_METHOD") or "GET"
local body = os.getenv("LATENCY_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function done(summary, latency, requests)
  io.write(string.format(
    'LATENCY {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, '
      .. '"p99_ms": %.2f, "max_ms": %.2f, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests,
    summary.duration / 1e6,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  ))
end
