# Sourced by the scripts: the Debian packages a build needs, and installing the ones missing.
build_packages=(g++ make cmake pkg-config ca-certificates
                libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev libspdlog-dev
                libsqlitecpp-dev libsqlite3-dev catch2 libkainjow-mustache-dev)

# What the test suite drives besides the bot: a real browser for the status page, an XML parser for its feed.
test_packages=(chromium libxml2-utils)

install_missing() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# ccache when it is there: a second build of the same tree mostly hits the cache.
compiler_launcher=()
if command -v ccache >/dev/null; then compiler_launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

# The clang build (ASan, UBSan and libFuzzer instrumentation) that the sanitized suite and the fuzz targets share.
sanitized_build=build-sanitize
configure_sanitized_build() {
  install_missing "${build_packages[@]}" clang-14 libclang-rt-14-dev
  cmake -S . -B "$sanitized_build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 -DINCIDENT_BOT_FUZZ=ON \
    "${compiler_launcher[@]}" >/dev/null
}
