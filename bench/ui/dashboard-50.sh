#!/bin/sh
# What the dashboard costs with 50 streams (25 listeners, 25 callers, half with 1-3 connected callers, one caller
# coming or going every 3 s): Chromium's own figures (CDP Performance.getMetrics) over the run, and the page's
# requests. Usage: bench/ui/dashboard-50.sh [seconds] [page]   (default 60 and /; /caller works too)
set -eu
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
./mvnw -B -q -o -pl streamer test -Dtest=UiScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmcr.bench.uiscale="${1:-60}" -Dmcr.bench.uiscale.page="${2:-/}"
sed -n '/^ui-scale/,/loadavg/p' streamer/target/surefire-reports/io.mcrsrt.streamer.web.UiScaleBenchmark-output.txt
echo "screenshot: streamer/target/ui-scale/dashboard-50.png"
