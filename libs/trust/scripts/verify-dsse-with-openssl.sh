#!/usr/bin/env bash
# Verifies a shipgate DSSE envelope with nothing of shipgate: python3 (for JSON), base64 and OpenSSL.
#   verify-dsse-with-openssl.sh ENVELOPE.json PUBLIC_KEY.pem [SIGNATURE_INDEX]
# Builds PAE(payloadType, payload) = "DSSEv1 <len> <type> <len> <payload>" from the envelope itself,
# then checks the signature: Ed25519 with `openssl pkeyutl -rawin`, ECDSA with `openssl dgst -sha256`.
# Prints the statement's predicateType and subject digest on success; exits non-zero otherwise.
set -euo pipefail
export LC_ALL=C
envelope=$1 key=$2 index=${3:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# JSON fields through python3 (on every machine shipgate supports; jq is not).
field() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])); [v := v[int(k) if k.isdigit() else k] for k in sys.argv[2].split(".")]; print(v)' "$1" "$2"; }

type=$(field "$envelope" payloadType)
field "$envelope" payload | base64 -d > "$work/payload"
field "$envelope" "signatures.$index.sig" | base64 -d > "$work/sig"
{ printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < "$work/payload")"; cat "$work/payload"; } > "$work/pae"

if openssl pkey -pubin -in "$key" -noout -text 2>/dev/null | grep -q '^ED25519'; then
  openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$work/pae" -sigfile "$work/sig" > /dev/null
else
  openssl dgst -sha256 -verify "$key" -signature "$work/sig" "$work/pae" > /dev/null
fi
echo "$(field "$work/payload" predicateType) sha256:$(field "$work/payload" subject.0.digest.sha256)"
