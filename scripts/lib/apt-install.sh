# Sourced by the set-up scripts: install Debian packages when we may (root with apt-get), else
# say what is missing and how to fix it, and exit 2.
#   apt_install <tag> [apt-get option...] <package>...
apt_install() {
  local tag=$1
  shift
  local names
  names=$(printf '%s\n' "$@" | grep -v '^-' | tr '\n' ' ')
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$tag: ${names}not installed." >&2
    echo "fix: install it (on Debian as root: apt-get install ${names% }), or put it on PATH." >&2
    exit 2
  fi
  local t0
  t0=$(date +%s)
  echo "$tag: installing ${names}from Debian (apt-get)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  echo "$tag: installed in $(( $(date +%s) - t0 )) s"
}
