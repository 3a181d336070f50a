# firm.sh: what the reliability scripts that drive a server share (sourced, not run): a firm
# generated through the store in a private temporary directory, removed with the server at
# exit, and the server started on a free loopback port.
#
#   firm_make BUILD CLIENTS   builds the binary and the generator, sets $work, $firm (the
#                             database) and $key (an integration key with read and write)
#   firm_serve ARGS...        starts `paroletrack serve` on $firm with ARGS; sets $server (its
#                             pid) and $base (its URL); exits when it does not start

firm_make() {
  local build=$1 clients=$2
  ninja -C "$build" server/paroletrack tests/generate_firm >/dev/null || exit 1
  export TZ=America/New_York
  bin=$build/server/paroletrack
  work=$(mktemp -d)
  firm=$work/firm.db
  server=""
  trap firm_cleanup EXIT
  "$build/tests/generate_firm" --db "$firm" --clients "$clients" --requests "$clients" \
    >"$work/creds" 2>"$work/generate.log" || { cat "$work/generate.log"; exit 1; }
  key=$(sed -n 's/^api_key=//p' "$work/creds")
}

firm_serve() {
  "$bin" serve --db "$firm" --listen 127.0.0.1:0 "$@" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
  base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
  [ -n "$base" ] || { cat "$work/serve.log"; exit 1; }
}

firm_cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
