# Cross build for arm64 (aarch64) with Debian's g++-aarch64-linux-gnu, tests run under qemu-user.
#
# Libraries come from Debian multiarch: arm64 packages (qt6-base-dev:arm64 and what it pulls in)
# install into /usr/lib/aarch64-linux-gnu and /usr/include/aarch64-linux-gnu, beside the amd64
# ones; the host's moc (qt6-base-dev-tools, amd64) serves both. Used by
# `packaging/quickstart.sh test neon` with -DRUVISION_KERNELS_ONLY=ON: the kernels and their
# tests, nothing that needs OpenCV, ONNX or hnswlib for arm64.
#
# CMAKE_CROSSCOMPILING_EMULATOR makes ctest (and add_test(COMMAND <target>)) run every arm64
# executable as `qemu-aarch64 -L / <exe>`: the guest's loader /lib/ld-linux-aarch64.so.1, libc and
# libstdc++ are those of the multiarch libc6:arm64 / libstdc++6:arm64 that Qt for arm64 pulls in.
# Not `-L /usr/aarch64-linux-gnu` (the cross compiler's own runtime): its older ld.so would then
# load the multiarch libc.so.6 (from ld.so.cache, for Qt), and a loader and libc from two glibc
# builds hung every test before its first function. QEMU_CPU (e.g. cortex-a53) may pick the CPU
# model; qemu's default "max" has every optional arm64 feature (dotprod, SVE, ...).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Programs (moc, nm, ...) from the host; libraries, headers and CMake packages of the target only,
# which Debian's multiarch keeps under /usr with the aarch64-linux-gnu triplet.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

find_program(RUVISION_QEMU_AARCH64 qemu-aarch64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${RUVISION_QEMU_AARCH64} -L /)
