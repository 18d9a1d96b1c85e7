#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, then configures and builds into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh

install_missing "${build_packages[@]}"

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${compiler_launcher[@]}" >/dev/null
cmake --build build --parallel "$(nproc)"
