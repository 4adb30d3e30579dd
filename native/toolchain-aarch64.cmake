# CMake toolchain file: cross-compile the shim for linux-arm64 (aarch64) on an x86_64 Debian host
# with Debian's cross compiler (packages gcc-aarch64-linux-gnu, g++-aarch64-linux-gnu).
#
#   cmake -S . -B target/cmake-arm64 -DCMAKE_TOOLCHAIN_FILE=native/toolchain-aarch64.cmake \
#         -DPQBRIDGE_ARM64_SYSROOT=/path/to/sysroot
#
# libpq for arm64 (libpq-fe.h, libpq.so -> libpq.so.5) is looked for in two places:
#  - PQBRIDGE_ARM64_SYSROOT (cache variable, or the environment variable of that name): a directory
#    into which the arm64 .debs of libpq-dev and libpq5 were extracted with dpkg-deb -x
#    (scripts/cross-arm64 makes one). This leaves the host's dpkg state alone: on Debian 12,
#    libpq-dev is not Multi-Arch: same, so `apt-get install libpq-dev:arm64` removes libpq-dev:amd64.
#  - otherwise the host's multiarch directories (/usr/include/postgresql,
#    /usr/lib/aarch64-linux-gnu), where `apt-get install libpq-dev:arm64` puts them (not tried:
#    that install would remove libpq-dev:amd64, which the x86_64 build needs).
# The cross compiler's own C library stays where Debian's cross packages put it
# (/usr/aarch64-linux-gnu); no --sysroot is given to the compiler.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# toolchain files are read again by try_compile projects: pass the sysroot on to them
if(NOT PQBRIDGE_ARM64_SYSROOT AND DEFINED ENV{PQBRIDGE_ARM64_SYSROOT})
  set(PQBRIDGE_ARM64_SYSROOT "$ENV{PQBRIDGE_ARM64_SYSROOT}")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PQBRIDGE_ARM64_SYSROOT)

if(PQBRIDGE_ARM64_SYSROOT)
  set(CMAKE_FIND_ROOT_PATH "${PQBRIDGE_ARM64_SYSROOT}" /usr/aarch64-linux-gnu)
  # executables (pqcopybench) link against libpq.so, whose own dependencies (libssl, libkrb5,
  # libkeyutils...) are in the sysroot too: let the linker find them there
  foreach(_dir lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu)
    string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT " -Wl,-rpath-link,${PQBRIDGE_ARM64_SYSROOT}/${_dir}")
    string(APPEND CMAKE_SHARED_LINKER_FLAGS_INIT " -Wl,-rpath-link,${PQBRIDGE_ARM64_SYSROOT}/${_dir}")
  endforeach()
else()
  set(CMAKE_FIND_ROOT_PATH / /usr/aarch64-linux-gnu)
endif()
# programs (pg_config, if any) are the host's; headers and libraries only the target's
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
