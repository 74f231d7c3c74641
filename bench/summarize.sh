#!/usr/bin/env bash
# Summarises benchmark results written by `bench/run.sh --json` as min / median / max over runs, per JDK, signing
# algorithm and scenario (and connections, commit mode and warm-up; a target is judged on the median of at least
# three runs, docs/benchmarks.md).
#
#   bench/summarize.sh [bench/results/*.jsonl]      (default: every file in bench/results/)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -eq 0 ]]; then
  shopt -s nullglob
  set -- "$ROOT"/bench/results/*.jsonl
  shopt -u nullglob
fi
[[ $# -gt 0 ]] || { echo "bench/summarize.sh: no results (run bench/run.sh --json first)" >&2; exit 1; }
command -v jq >/dev/null || { echo "bench/summarize.sh: needs jq" >&2; exit 1; }

cat "$@" | jq -rs '
  def median: sort | if length == 0 then null
    elif length % 2 == 1 then .[(length - 1) / 2]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def r2: if . == null then null else (. * 100 | round) / 100 end;
  def stat(f): [.[] | f | select(. != null)] as $v
    | if ($v | length) == 0 then "-"
      else "\($v | min | r2) / \($v | median | r2) / \($v | max | r2)" end;
  def runs: [.[].run] | unique | length;

  "min / median / max over runs; rates per second, times in ms unless marked s, memory in MB",
  "",
  (group_by(.java) | .[] | . as $java_rows | .[0].java as $java |
    "== \($java) (\($java_rows[0].java_vendor))",
    ((["raw", "raw limits"], ["raw_after", "raw limits measured again after the load scenarios"]) as [$s, $title] |
      ([.[] | select(.scenario == $s)] | select(length > 0) |
        "\($title) (\(runs) runs, Argon2id \(.[0].argon2_params)):",
        (.[0] | keys_unsorted | map(select(endswith("_per_s")))) as $keys |
        (. as $rows | $keys[] as $k | "  \($k | sub("_per_s$"; ""))  \($rows | stat(.[$k]))"))),
    (group_by(.alg) | .[] | .[0].alg as $alg |
      ([.[] | select(.scenario == "startup")] | select(length > 0) |
        "start-up on embedded H2, \($alg) (\(runs) runs): first start s \(stat(.first_start_s)); restart s \(stat(.restart_s)); idle RSS \(stat(.idle_rss_mb))"),
      ([.[] | select(.scenario == "idle")] | select(length > 0) |
        "start-up on PostgreSQL, \($alg) (\(runs) runs): s \(stat(.startup_s)); idle RSS \(stat(.idle_rss_mb))"),
      (map(select(.rps != null)) | group_by([.scenario, .connections, (.db_commit // "sync"), .warmup_s]) | .[] |
        "\(.[0].scenario), \($alg), \(.[0].connections) connections\(if (.[0].db_commit // "sync") == "async" then ", database commits async" else "" end)\(if .[0].warmup_s == null then "" else ", \(.[0].warmup_s) s warm-up" end) (\(runs) runs):",
        "  req/s \(stat(.rps))   p50 \(stat(.p50_ms))   p99 \(stat(.p99_ms))",
        "  non-2xx \(stat(.non2xx))   socket errors \(stat(.errors_connect + .errors_read + .errors_write + .errors_timeout))   server CPU % \(stat(.server_cpu_pct))   GC % \(stat(.gc_pct))",
        "  peak RSS \(stat(.peak_rss_mb))   vs raw \(.[0].raw_limit // "-" | sub("_per_s$"; "")): \(stat(.ratio))")),
    "")
'
