#!/usr/bin/env bash
# Kernel network settings for SRT at broadcast bitrates: large UDP socket buffers so bursts of retransmissions and
# many concurrent streams are not dropped by the kernel before libsrt sees them. Run as root; idempotent.
# Values are those of the original tool's network-tuning.sh. Installed as the oneshot unit mcr-srt-network-tuning.service.
set -euo pipefail

declare -A settings=(
  [net.core.rmem_max]=26214400
  [net.core.wmem_max]=26214400
  [net.core.rmem_default]=8388608
  [net.core.wmem_default]=8388608
  [net.ipv4.udp_rmem_min]=8192
  [net.ipv4.udp_wmem_min]=8192
  [net.ipv4.tcp_window_scaling]=1
  [net.ipv4.tcp_timestamps]=1
  [net.ipv4.tcp_sack]=1
  [net.ipv4.tcp_fastopen]=3
  [vm.swappiness]=10
)

if [ "$(id -u)" -ne 0 ]; then
  echo "network-tuning.sh must run as root (it writes kernel settings with sysctl)." >&2
  exit 1
fi

status=0
for key in "${!settings[@]}"; do
  if ! sysctl -q -w "$key=${settings[$key]}" >/dev/null; then
    echo "Could not set $key=${settings[$key]} (not available in this kernel or container); continuing." >&2
    status=1
  fi
done
# A missing key is reported but does not fail the unit: the rest still helps.
sysctl net.core.rmem_max net.core.wmem_max net.core.rmem_default net.core.wmem_default
exit 0
