#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check-packages.sh BUILD_DIR SOURCE_DIR APP_ID: builds the ternd and tern .debs with cpack into
# a temporary folder and checks that
#  - each holds its own files and not the other's, and the daemon does not pull in Qt Quick;
#  - apt can install both together on this system (simulated: nothing is installed);
#  - the launcher entry and the AppStream data pass their validators;
#  - the packaged tern and ternd start (--version, --help) from the extracted packages;
#  - every symbol and emoji the QML draws is in a font that a dependency of tern provides
#    (else users without that font see empty boxes);
#  - the maintainer scripts are valid sh.
set -euo pipefail
build=$1 source=$2 app_id=$3
export LC_ALL=C.UTF-8
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
server_deb=$(ls "$work"/ternd_*.deb)
client_deb=$(ls "$work"/tern_*.deb)
echo "built $(basename "$server_deb") ($(du -k "$server_deb" | cut -f1) KiB)," \
     "$(basename "$client_deb") ($(du -k "$client_deb" | cut -f1) KiB)"

contents() { dpkg-deb -c "$1" | awk '{print $6}'; }
has() { contents "$1" | grep -qx "$2" || fail "$(basename "$1") lacks $2"; }
lacks() { ! contents "$1" | grep -qx "$2" || fail "$(basename "$1") holds $2"; }
depends() { dpkg-deb -f "$1" Depends; }

has "$server_deb" ./usr/bin/ternd
has "$server_deb" ./usr/bin/ternctl
has "$server_deb" ./usr/lib/systemd/system/ternd.service
lacks "$server_deb" ./usr/bin/tern
for lib in libqt6quick6 libqt6gui6 libgstreamer1.0-0; do
    ! depends "$server_deb" | grep -q "\b$lib\b" || fail "ternd depends on $lib"
done
summary() { dpkg-deb -f "$1" Description | head -1; }
[ "$(summary "$server_deb")" = "Tern messaging daemon and admin CLI" ] \
    || fail "ternd's summary: $(summary "$server_deb")"
[ "$(summary "$client_deb")" = "Tern desktop messenger" ] || fail "tern's summary: $(summary "$client_deb")"
depends "$server_deb" | grep -q postgresql || fail "ternd does not depend on PostgreSQL"
control=$(dpkg-deb -I "$server_deb")
for script in postinst prerm postrm; do
    grep -qw "$script" <<<"$control" || fail "ternd has no $script"
    sh -n "$source/installers/debian/ternd/$script" || fail "$script is not valid sh"
done

has "$client_deb" ./usr/bin/tern
has "$client_deb" "./usr/share/applications/$app_id.desktop"
has "$client_deb" "./usr/share/metainfo/$app_id.metainfo.xml"
has "$client_deb" "./usr/share/icons/hicolor/scalable/apps/$app_id.svg"
lacks "$client_deb" ./usr/bin/ternd
for dep in libqt6quick6 qml6-module-qtquick-controls libqt6sql6-sqlite gstreamer1.0-nice \
           fonts-noto-color-emoji; do
    depends "$client_deb" | grep -q "\b$dep\b" || fail "tern does not depend on $dep"
done

# apt resolves every dependency of both (installed ones, or from its package lists).
if ! apt-get install -s -q "$server_deb" "$client_deb" >"$work/apt.log" 2>&1; then
    cat "$work/apt.log" >&2
    fail "apt cannot install the packages"
fi

root="$work/root"
dpkg-deb -x "$client_deb" "$root"
desktop-file-validate "$root/usr/share/applications/$app_id.desktop" \
    || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" >"$work/as.log" 2>&1 \
    || { cat "$work/as.log" >&2; fail "appstreamcli validate"; }
grep -q "^Icon=$app_id$" "$root/usr/share/applications/$app_id.desktop" \
    || fail "the launcher entry does not name the installed icon"
version=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/tern" --version 2>&1) \
    || fail "the packaged tern does not start: $version"
grep -q "^tern [0-9]" <<<"$version" || fail "tern --version printed: $version"
echo "packaged tern: $version"
server_root="$work/server-root"
dpkg-deb -x "$server_deb" "$server_root"
"$server_root/usr/bin/ternd" --help >"$work/ternd-help.txt" 2>&1 \
    || { cat "$work/ternd-help.txt" >&2; fail "the packaged ternd does not start"; }
grep -q -- "--data-dir" "$work/ternd-help.txt" || fail "ternd --help does not list --data-dir"
grep -q "^ExecStart=/usr/bin/ternd " "$server_root/usr/lib/systemd/system/ternd.service" \
    || fail "the unit does not start the packaged ternd"

# Fonts: each non-ASCII character of the QML (comments aside) must be in a font file that one
# of tern's font dependencies installs.
font_packages=$(depends "$client_deb" | tr ',|' '\n\n' | sed 's/^ *//; s/[ (].*//' | grep '^fonts-' || true)
declare -A allowed  # font file -> the dependency that installs it
while IFS= read -r package; do
    while IFS= read -r file; do allowed[$file]=$package; done < <(dpkg -L "$package" 2>/dev/null || true)
done <<<"$font_packages"
checked=0
while IFS= read -r ch; do
    code=$(printf '%x' "'$ch")
    case $code in fe0f | 200d) continue ;; esac  # emoji presentation selector, joiner
    covered=
    while IFS= read -r file; do
        if [ -n "$file" ] && [ -n "${allowed[$file]:-}" ]; then covered=${allowed[$file]}; break; fi
    done < <(fc-list ":charset=$code" file | sed 's/: *$//')
    [ -n "$covered" ] || fail "U+$code ($ch) is in no font of tern's dependencies ($(tr '\n' ' ' <<<"$font_packages"))"
    checked=$((checked + 1))
done < <(sed 's|^\s*//.*||' "$source"/qml/app/*.qml | grep -oP '[^\x00-\x7F]' | sort -u)
[ "$checked" -gt 20 ] || fail "only $checked characters checked: the scan found too few"
echo "fonts: $checked characters, each in a font of $(tr '\n' ' ' <<<"$font_packages")"

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "packages: all checks passed"
