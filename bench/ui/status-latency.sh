#!/bin/sh
# Time from a stream status change to the operator seeing it: dashboard badge (server-sent events) against polling
# GET /api/streams every 5 s (the original tool's dashboard), side by side in one headless Chromium page.
# Usage: bench/ui/status-latency.sh [rounds]   (default 20; about 8 s a round)
set -eu
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
./mvnw -B -q -ntp -pl streamer -am verify -Dtest=StatusLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmcr.bench.ui="${1:-20}"
grep -E "status change|loadavg" streamer/target/surefire-reports/io.mcrsrt.streamer.web.StatusLatencyBenchmark-output.txt
