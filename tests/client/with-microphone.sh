#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs a command with a private PulseAudio whose default microphone is a 440 Hz sine source
# and whose speaker is a null sink: what a desktop with a sound card gives Qt Multimedia, on a
# machine that has none (CI). GStreamer's pulsesrc gets almost nothing from that sine source,
# so a second 440 Hz tone plays into a null sink "Tone": its monitor ("Monitor of Tone") is
# the microphone for GStreamer (Qt Multimedia lists no monitors). Usage: with-microphone.sh COMMAND [ARGS...]
set -eu
if ! command -v pulseaudio >/dev/null; then
    echo "with-microphone.sh: pulseaudio is not installed (scripts/bootstrap installs it)" >&2
    exit 1
fi
home=$(mktemp -d)
export HOME="$home" XDG_RUNTIME_DIR="$home/run" XDG_CONFIG_HOME="$home/config"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
# -n: no default configuration (no hardware probing); root is fine for a private instance.
pulseaudio --daemonize=no --exit-idle-time=-1 -n --log-level=error \
    --load="module-native-protocol-unix" \
    --load="module-null-sink sink_name=speaker sink_properties=device.description=Speaker" \
    --load="module-null-sink sink_name=tone sink_properties=device.description=Tone" \
    --load="module-sine sink=tone frequency=440" \
    --load="module-sine-source source_name=microphone frequency=440" 2>/dev/null &
pulse=$!
trap 'kill $pulse 2>/dev/null; wait $pulse 2>/dev/null; rm -rf "$home"' EXIT
for _ in $(seq 1 50); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
done
pactl set-default-source microphone
pactl set-default-sink speaker
"$@"
