# Keeps a secret in a shell variable while the test looks for it everywhere on the host.
test -n "$TOKEN" || exit 9
echo started
sleep "${HOLD_SECONDS:-3}"
printf '%s' "$TOKEN" | sha256sum | cut -c1-64
