# Prints each value it was given, base64-encoded, so the test can compare bytes exactly.
printf 'first=%s\n' "$(printf %s "$first" | base64 -w0)"
printf 'second=%s\n' "$(printf %s "$second" | base64 -w0)"
printf 'user=%s\n' "$(id -un)"
