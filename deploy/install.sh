#!/usr/bin/env bash
# Installs MCR SRT Streamer as a systemd service from a built checkout (run scripts/serve or
# `./mvnw -DskipTests package` first). Run as root on Debian 12. Idempotent: re-run it to upgrade.
#   deploy/install.sh            install or upgrade, then (re)start the service
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
prefix=/opt/mcr-srt-streamer
jar="$src/streamer/target/mcr-srt.jar"

[ "$(id -u)" -eq 0 ] || { echo "deploy/install.sh must run as root." >&2; exit 1; }
[ -f "$jar" ] || { echo "$jar is missing: build first with ./mvnw -DskipTests package (JAVA_HOME = a JDK 25)." >&2; exit 1; }

source "$src/scripts/prepare.sh"
mcr_install_packages "${MCR_RUNTIME_PACKAGES[@]}"
mcr_find_jdk25 >/dev/null

id mcr-srt >/dev/null 2>&1 || useradd --system --home-dir /var/lib/mcr-srt-streamer --shell /usr/sbin/nologin mcr-srt
install -d -m 0755 "$prefix" "$prefix/bin" "$prefix/deploy" "$prefix/docs" "$prefix/lib"
install -d -m 0755 -o mcr-srt -g mcr-srt "$prefix/media"
install -m 0644 "$jar" "$prefix/lib/mcr-srt.jar"
install -m 0755 "$src/bin/mcr-srt" "$prefix/bin/mcr-srt"
install -m 0755 "$src/deploy/network-tuning.sh" "$prefix/deploy/network-tuning.sh"
rm -f "$prefix/deploy/refresh-server-list.sh"  # replaced by `mcr-srt servers fetch`
cp -r "$src/docs/." "$prefix/docs/"
install -d -m 0755 /etc/mcr-srt-streamer
[ -f /etc/mcr-srt-streamer/env ] || install -m 0600 "$src/deploy/env.example" /etc/mcr-srt-streamer/env
install -m 0644 "$src"/deploy/systemd/*.service "$src"/deploy/systemd/*.timer /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now mcr-srt-network-tuning.service
systemctl enable mcr-srt-streamer.service
systemctl restart mcr-srt-streamer.service
echo "Installed. Status: systemctl status mcr-srt-streamer; logs: journalctl -u mcr-srt-streamer or /var/log/mcr-srt-streamer/."
echo "Optional daily download of the network-test server list (set SERVER_LIST_URL and NETWORK_TEST_SERVERS in"
echo "/etc/mcr-srt-streamer/env first): systemctl enable --now mcr-srt-server-list.timer"
echo "The generated API key is in /var/lib/mcr-srt-streamer/api_key (readable by root and mcr-srt only)."
