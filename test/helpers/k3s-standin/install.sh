#!/bin/sh
# Stand-in for k3s's install.sh, run with INSTALL_K3S_SKIP_DOWNLOAD=true as the air-gap install
# runs the real one: the binary must already be in place; it writes k3s.service (Type=notify,
# KillMode=process, as the real script does) and its environment file, enables the unit and
# restarts it only when the binary, unit or environment changed. Every run is logged for the test.
set -eu
log=/var/log/k3s-standin-install.log
echo "run INSTALL_K3S_VERSION=${INSTALL_K3S_VERSION:-} EXEC=${INSTALL_K3S_EXEC:-}" >> "$log"
if [ "${INSTALL_K3S_SKIP_DOWNLOAD:-}" != true ]; then
	echo 'stand-in install.sh: only INSTALL_K3S_SKIP_DOWNLOAD=true' >&2
	exit 1
fi
bin=/usr/local/bin/k3s
unit=/etc/systemd/system/k3s.service
env_file=$unit.env
[ -x "$bin" ] || {
	echo "Executable k3s binary not found at $bin" >&2
	exit 1
}
hashes() { sha256sum "$bin" "$unit" "$env_file" 2>&1 || true; }
before=$(hashes)
touch "$env_file"
chmod 0600 "$env_file"
env | grep -E '^(K3S|CONTAINERD)_' > "$env_file" || true
cat > "$unit" << UNIT
[Unit]
Description=Lightweight Kubernetes (stand-in)
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=notify
EnvironmentFile=-$env_file
KillMode=process
Delegate=yes
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStart=$bin ${INSTALL_K3S_EXEC:-server}
UNIT
systemctl enable k3s.service > /dev/null 2>&1
systemctl daemon-reload
if [ "$before" = "$(hashes)" ]; then
	echo 'No change detected so skipping service start'
	exit 0
fi
echo "restart" >> "$log"
systemctl restart k3s.service
