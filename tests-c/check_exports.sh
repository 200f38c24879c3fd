#!/bin/sh
# check_exports.sh <library> [nm]
# The library must define exactly the six iv_avt_p2p_* functions of iv_av.h
# as dynamic function symbols (nm -D --defined-only, types T/W/i), nothing else.
set -eu
lib=$1
nm=${2:-nm}
expected='iv_avt_p2p_exit
iv_avt_p2p_get_send_buf
iv_avt_p2p_get_send_status
iv_avt_p2p_init
iv_avt_p2p_send_command
iv_avt_p2p_set_buf_watermark'
actual=$("$nm" -D --defined-only "$lib" | awk '$2 ~ /^[TtWi]$/ { print $3 }' | sort)
echo "exported functions of $lib:"
echo "$actual" | sed 's/^/  /'
if [ "$actual" != "$expected" ]; then
  echo "FAILED: expected exactly:" >&2
  echo "$expected" | sed 's/^/  /' >&2
  exit 1
fi
echo "exactly the six iv_avt_p2p_* functions"
