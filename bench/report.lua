-- Prints one JSON line with throughput, latency percentiles (milliseconds) and the latency at every half
-- percentile, by which run.py pools several runs' latencies into one distribution.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local quantiles = {}
  for i = 1, 199 do
    quantiles[#quantiles + 1] = string.format("%.3f", latency:percentile(i / 2) / 1000)
  end
  quantiles[#quantiles + 1] = string.format("%.3f", latency.max / 1000)
  io.write(string.format(
    '{"requests": %d, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "non2xx": %d, "errors": %d, "quantiles": [%s]}\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(quantiles, ", ")))
end
