#!/usr/bin/env bash
# Fetches the iperf3 server list of the network test from SERVER_LIST_URL into NETWORK_TEST_SERVERS, replacing the
# file atomically and only with a non-empty JSON list, so a failed download never leaves a broken list behind. The
# running service re-reads the file at its next check (NETWORK_TEST_REFRESH_MINUTES) or at its next start.
# Run by mcr-srt-server-list.service (daily, from mcr-srt-server-list.timer); both variables come from
# /etc/mcr-srt-streamer/env.
set -euo pipefail
: "${SERVER_LIST_URL:?SERVER_LIST_URL is not set in /etc/mcr-srt-streamer/env: the address of the iperf3 server list to fetch}"
: "${NETWORK_TEST_SERVERS:?NETWORK_TEST_SERVERS is not set in /etc/mcr-srt-streamer/env: the file the service reads the server list from}"
tmp="$(mktemp "${NETWORK_TEST_SERVERS}.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
curl -fsS --max-time 60 --max-filesize 10000000 -o "$tmp" "$SERVER_LIST_URL"
if ! tr -d ' \t\r\n' < "$tmp" | grep -q '^\[{.*}\]$'; then
  echo "$SERVER_LIST_URL did not return a JSON list of servers; keeping the current $NETWORK_TEST_SERVERS." >&2
  exit 1
fi
chmod 0644 "$tmp"
mv -f "$tmp" "$NETWORK_TEST_SERVERS"
trap - EXIT
echo "Server list refreshed from $SERVER_LIST_URL: $(grep -o '"IP_HOST"' "$NETWORK_TEST_SERVERS" | wc -l) servers."
