#!/usr/bin/env bash
# The Debian package as a user gets it: CPack builds it from this build (packaging/deb.cmake), it
# holds what it should and declares its libraries, and extracted into a scratch root its
# ruvision-cli runs from ROOT/usr/bin with nothing but the package: `models` finds the models in
# ROOT/usr/share/ruvision/models (RUVISION_MODELS unset: the lookup relative to the program), and an
# index and a search of real photos work.
# usage: test_package.sh BUILD_DIR CPACK PROJECT_VERSION WITH_GUI(ON|OFF)
# Needs dpkg-deb, readelf, and with the GUI desktop-file-validate (desktop-file-utils) and
# appstreamcli (appstream).
# Compressed with gzip here (CPACK_DEBIAN_COMPRESSION_TYPE): xz took 50 s of the test's time on two
# cores; nothing else differs from `cmake --build build --target package`.
set -euo pipefail
build=$1 cpack=$2 version=$3 gui=$4
photos=/usr/share/backgrounds/mate/nature  # Debian's mate-backgrounds (tests/sample_photos.h)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

"$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log"; echo "FAIL: cpack"; exit 1; }
debs=("$scratch"/out/ruvision_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || { echo "FAIL: cpack wrote ${debs[*]}"; exit 1; }
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[[ $(basename "$deb") == "ruvision_${version}-1_${arch}.deb" ]] || fail "file name $(basename "$deb")"

# The control fields: name, version, section, and Depends from dpkg-shlibdeps (the Qt, OpenCV and
# SQLite libraries the programs link, with versions).
[[ $(dpkg-deb -f "$deb" Package) == ruvision ]] || fail "Package: $(dpkg-deb -f "$deb" Package)"
[[ $(dpkg-deb -f "$deb" Version) == "$version-1" ]] || fail "Version: $(dpkg-deb -f "$deb" Version)"
[[ $(dpkg-deb -f "$deb" Section) == graphics ]] || fail "Section: $(dpkg-deb -f "$deb" Section)"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libqt6core6 libopencv-core406 libsqlite3-0 libheif1; do
  grep -qE "(^|, )$lib \(>= " <<<"$depends" || fail "Depends lacks $lib (>= ...): $depends"
done
if [[ $gui == ON ]]; then grep -qE "(^|, )libqt6widgets6 " <<<"$depends" || fail "Depends lacks libqt6widgets6: $depends"; fi

# The files, by path.
listing=$(dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./|/|')
want=(/usr/bin/ruvision-cli /usr/libexec/ruvision/ruvision-reader
  /usr/share/ruvision/models/mobilenet_v2.rvm /usr/share/ruvision/models/mobilenet_v3_centernet.rvm
  /usr/share/man/man1/ruvision-cli.1.gz /usr/share/bash-completion/completions/ruvision-cli
  /usr/share/doc/ruvision/copyright /usr/share/doc/ruvision/changelog.Debian.gz
  /usr/share/lintian/overrides/ruvision)
if [[ $gui == ON ]]; then
  want+=(/usr/bin/ruvision /usr/share/man/man1/ruvision.1.gz /usr/share/applications/ruvision.desktop
    /usr/share/metainfo/invalid.ruvision.ruvision.metainfo.xml /usr/share/icons/hicolor/scalable/apps/ruvision.svg)
  for size in 16 22 24 32 48 64 128 256; do want+=("/usr/share/icons/hicolor/${size}x${size}/apps/ruvision.png"); done
fi
for f in "${want[@]}"; do grep -qxF "$f" <<<"$listing" || fail "the package has no $f"; done
# Nothing but /usr, and no stray model file.
grep -vE '^/$|^/usr(/|$)' <<<"$listing" && fail "files outside /usr"
[[ $(grep -c '\.rvm$' <<<"$listing") -eq 2 ]] || fail "models: $(grep '\.rvm$' <<<"$listing")"

root=$scratch/root
dpkg-deb -x "$deb" "$root"

# The programs: stripped (no symbol table), no RPATH/RUNPATH (into the build tree or anywhere).
programs=("$root/usr/bin/ruvision-cli" "$root/usr/libexec/ruvision/ruvision-reader")
[[ $gui == ON ]] && programs+=("$root/usr/bin/ruvision")
for p in "${programs[@]}"; do
  [[ -x $p ]] || { fail "$p is not executable"; continue; }
  readelf -S "$p" | grep -qE '\.symtab|\.comment' && fail "${p#"$root"} is not stripped (.symtab or .comment)"
  readelf -d "$p" | grep -qE 'RPATH|RUNPATH' && fail "${p#"$root"} has $(readelf -d "$p" | grep -E 'RPATH|RUNPATH')"
done
[[ $(gzip -dc "$root/usr/share/man/man1/ruvision-cli.1.gz" | head -c 2) == '.\' ]] || fail "ruvision-cli.1.gz is no man page"
# The desktop file and the AppStream metadata as installed, by their validators (the screenshot
# URLs are under the reserved .invalid domain until RuVision has a web host: --no-net).
if [[ $gui == ON ]]; then
  out=$(desktop-file-validate "$root/usr/share/applications/ruvision.desktop" 2>&1) || fail "desktop-file-validate: $out"
  [[ -z $out ]] || fail "desktop-file-validate: $out"
  out=$(appstreamcli validate --no-net "$root/usr/share/metainfo/invalid.ruvision.ruvision.metainfo.xml" 2>&1) ||
    fail "appstreamcli validate: $out"
  [[ $(grep -c '<image>.*/[a-z]*\.png</image>' "$root/usr/share/metainfo/invalid.ruvision.ruvision.metainfo.xml") -eq 8 ]] ||
    fail "the metadata does not list the 8 screenshots"
fi

# Run from the scratch root, with nothing of the build or of an installed RuVision to help it.
cli=$root/usr/bin/ruvision-cli
run() { env -u RUVISION_MODELS -u RUVISION_ISA HOME="$scratch/home" XDG_CACHE_HOME="$scratch/home/.cache" \
          XDG_DATA_HOME="$scratch/home/.local/share" "$@"; }
mkdir -p "$scratch/home"

out=$(run "$cli" --version) || fail "ruvision-cli --version failed"
[[ $out == "ruvision-cli $version, SIMD path "* ]] || fail "--version printed: $out"

out=$(run "$cli" models) || fail "ruvision-cli models failed: $out"
echo "$out"
for m in mobilenet_v2 mobilenet_v3_centernet; do
  grep -qxF "  file: $root/usr/share/ruvision/models/$m.rvm" <<<"$out" ||
    fail "models does not find $m in the package's share/ruvision/models"
done
grep -q '^mobilenet_v2 (default)$' <<<"$out" || fail "mobilenet_v2 is not the default model"
grep -qE 'broken|cannot' <<<"$out" && fail "a model is reported broken"

[[ -d $photos ]] || { echo "FAIL: no sample photos in $photos (mate-backgrounds)"; exit 1; }
count=$(find "$photos" -maxdepth 1 -name '*.jpg' | wc -l)
library=$scratch/library
if ! out=$(run "$cli" index --library "$library" "$photos" 2>&1); then fail "index failed: $out"; fi
echo "$out" | tail -3
grep -qE "^done in .*: $count image files, $count embedded, .* 0 failed" <<<"$out" || fail "index did not embed the $count photos"

query=$photos/Garden.jpg
if ! out=$(run "$cli" search --library "$library" -k 3 "$query" 2>&1); then fail "search failed: $out"; fi
echo "$out"
[[ $(grep -c . <<<"$out") -eq 3 ]] || fail "search -k 3 gave $(grep -c . <<<"$out") lines"
head -1 <<<"$out" | grep -qE "^ +1 +[01]\.[0-9]+ +same picture +$query$" || fail "the query itself is not first, as the same picture"

# The reader, where the programs look for it (ReaderProcess.cpp), answers for itself.
out=$("$root/usr/libexec/ruvision/ruvision-reader" 2>&1 </dev/null || true)
grep -q "started by RuVision itself" <<<"$out" || fail "ruvision-reader printed: $out"

[[ $failures -eq 0 ]] || { echo "$failures failure(s) in the package"; exit 1; }
echo "package $(basename "$deb"): $(wc -l <<<"$listing") entries, ran models, index ($count photos) and search from $root/usr/bin"
