#!/usr/bin/env bash
# Checks a Duizhao .deb without installing it: what a Linux desktop needs from the package.
# Reads the package paths on stdin (package.sh's output; other lines are ignored) or as
# arguments. Each failed check prints why it matters; the exit status is the number of failures.
set -euo pipefail
debs=("$@")
if [[ ${#debs[@]} -eq 0 ]]; then
  while IFS= read -r line; do [[ "$line" == *.deb ]] && debs+=("$line"); done
fi
[[ ${#debs[@]} -eq 1 ]] || { echo "check-deb: expected one .deb, got ${#debs[@]}" >&2; exit 1; }
deb=${debs[0]}
failures=0
fail() { echo "check-deb: $*" >&2; failures=$((failures + 1)); }

field() { dpkg-deb --field "$deb" "$1"; }
[[ "$(field Package)" == duizhao ]] || fail "Package is '$(field Package)': apt and the README name it duizhao"
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0; do
  [[ ",$depends," == *", $dep,"* || ",$depends," == *",$dep,"* ]] ||
    fail "Depends ($depends) lacks $dep: without it the app installs but cannot start"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --extract "$deb" "$tmp"

for bin in duizhao dz; do
  [[ -x "$tmp/usr/bin/$bin" ]] || fail "/usr/bin/$bin is missing or not executable: it is the command the package promises"
done

desktop="$tmp/usr/share/applications/Duizhao.desktop"
if [[ ! -f "$desktop" ]]; then
  fail "no launcher (/usr/share/applications/Duizhao.desktop): the app would be missing from the desktop menu"
else
  desktop-file-validate "$desktop" >&2 || fail "the launcher is not a valid desktop entry, so menus may ignore it"
  entry() { sed -n "s/^$1=//p" "$desktop" | head -n 1; }
  [[ "$(entry Name)" == Duizhao ]] || fail "launcher Name is '$(entry Name)', not Duizhao"
  [[ -n "$(entry Comment)" ]] || fail "launcher has no Comment: menus show it as the tooltip"
  [[ "$(entry Exec)" == duizhao ]] || fail "launcher Exec is '$(entry Exec)': it must start /usr/bin/duizhao"
  [[ "$(entry Icon)" == duizhao ]] || fail "launcher Icon is '$(entry Icon)': it must name the installed hicolor icon"
  [[ "$(entry Categories)" == *Network\;News\;* ]] || fail "launcher Categories '$(entry Categories)' do not file it under Network;News"
fi

for size in 16 24 32 48 64 128 256 512; do
  icon="$tmp/usr/share/icons/hicolor/${size}x${size}/apps/duizhao.png"
  if [[ ! -f "$icon" ]]; then
    fail "no ${size}x${size} icon: menus and docks would scale another size"
  elif ! file "$icon" | grep -q "PNG image data, $size x $size,"; then
    fail "the ${size}x${size} icon is $(file -b "$icon"): a wrong size in that folder is drawn blurred"
  fi
done
extra=$(find "$tmp/usr/share/icons" -name '*.png' | grep -v -E '/hicolor/([0-9]+)x\1/apps/duizhao\.png$' || true)
[[ -z "$extra" ]] || fail "icons outside the hicolor NxN/apps folders: ${extra//$tmp/}"

exit "$failures"
