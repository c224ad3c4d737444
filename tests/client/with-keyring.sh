#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs a command with a private D-Bus session and an unlocked gnome-keyring Secret Service in a
# throwaway HOME, the way a desktop session provides them (../shared/PLATFORM.md).
# Usage: with-keyring.sh COMMAND [ARGS...]
set -eu
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
    printf "tern-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    TERN_TEST_KEYRING=1 exec "$@"' sh "$@"
