#!/usr/bin/env bash
# Prepares this machine for the network integration tests (test/integration/network.test.ts).
# Idempotent; needs root (it writes the OS trust store and /etc/hosts). .ci/run calls it.
#
# - A throwaway certificate authority, installed into the OS trust store with
#   update-ca-certificates, as a corporate TLS-inspecting proxy's CA would be. It is valid for
#   30 days, name-constrained to loopback names (localhost, *.test, 127.0.0.0/8, ::1), and its
#   private key is deleted as soon as it has signed the test server's certificate: nothing else
#   can ever be signed with it. Regenerated when it is about to expire.
# - A self-signed certificate no one trusts, for the `http.proxyStrictSSL` tests.
# - A hosts-file name of 127.0.0.1 (VS Code never proxies localhost or 127.0.0.1, so the proxy
#   tests need another name for the loopback sandbox).
# Files go to ~/.cache/oneup-vscode/network-tests/ (ONEUP_NET_TEST_DIR overrides); setup.json
# lists them for the tests.
set -euo pipefail

dir="${ONEUP_NET_TEST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/oneup-vscode/network-tests}"
host_alias="oneup-proxied.test"
installed=/usr/local/share/ca-certificates/oneup-vscode-test-ca.crt
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else echo "[net-setup] needs root for: $*" >&2; return 1; fi; }

for tool in openssl update-ca-certificates; do
  command -v "$tool" >/dev/null || { echo "[net-setup] $tool is missing (apt-get install openssl ca-certificates)" >&2; exit 1; }
done
mkdir -p "$dir"
chmod 700 "$dir"

fresh() { [ -f "$dir/$1" ] && openssl x509 -in "$dir/$1" -noout -checkend $((3 * 86400)) >/dev/null 2>&1; }

if ! fresh os-ca.pem || ! fresh server.pem || ! fresh untrusted.pem || [ ! -f "$dir/server-key.pem" ] || ! cmp -s "$dir/os-ca.pem" "$installed"; then
  echo "[net-setup] generating a 30-day test CA for the OS trust store and the test server certificates in $dir"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cat > "$work/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = ca
[dn]
CN = oneup-vscode network tests (throwaway CA, loopback only)
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical, permitted;DNS:localhost, permitted;DNS:test, permitted;IP:127.0.0.0/255.0.0.0, permitted;IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF
EOF
  cat > "$work/leaf.cnf" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, DNS:$host_alias, IP:127.0.0.1
EOF
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -keyout "$work/ca-key.pem" -out "$work/os-ca.pem" -config "$work/ca.cnf" 2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; exit 1; }
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -keyout "$work/server-key.pem" -out "$work/server.csr" 2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; exit 1; }
  openssl x509 -req -in "$work/server.csr" -CA "$work/os-ca.pem" -CAkey "$work/ca-key.pem" -CAcreateserial \
    -days 29 -extfile "$work/leaf.cnf" -out "$work/server.pem" 2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; exit 1; }
  # the CA's key is gone before anything is installed: the store trusts a CA that can sign nothing more
  rm -f "$work/ca-key.pem"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/untrusted-key.pem" -out "$work/untrusted.pem" 2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; exit 1; }
  openssl verify -CAfile "$work/os-ca.pem" "$work/server.pem" >/dev/null
  for f in os-ca.pem server.pem server-key.pem untrusted.pem untrusted-key.pem; do install -m 600 "$work/$f" "$dir/$f"; done
  as_root install -m 644 "$dir/os-ca.pem" "$installed"
  as_root update-ca-certificates --fresh >/dev/null
fi
openssl verify -CApath /etc/ssl/certs "$dir/server.pem" >/dev/null \
  || { echo "[net-setup] the OS trust store does not verify the test server certificate" >&2; exit 1; }

if ! grep -Eq "^[[:space:]]*127\.0\.0\.1[[:space:]].*\b$host_alias\b" /etc/hosts; then
  echo "[net-setup] adding $host_alias to /etc/hosts"
  printf '127.0.0.1\t%s\t# oneup-vscode network tests\n' "$host_alias" | as_root tee -a /etc/hosts >/dev/null
fi

cat > "$dir/setup.json" <<EOF
{
  "osTrustedCa": "$dir/os-ca.pem",
  "serverCert": "$dir/server.pem",
  "serverKey": "$dir/server-key.pem",
  "untrustedCert": "$dir/untrusted.pem",
  "untrustedKey": "$dir/untrusted-key.pem",
  "proxiedHost": "$host_alias"
}
EOF
echo "[net-setup] ready: $dir"
